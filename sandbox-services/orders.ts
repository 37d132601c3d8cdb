/**
 * orders: GET /orders -> payments GET /charge (through the Toxiproxy proxy `payments`).
 * Countermeasures: a 300 ms timeout, a bulkhead of 8 calls in flight, an opossum circuit breaker
 * that closes again after a half-open trial, and a fallback that accepts the order with the
 * payment pending. Environment variables and switches: see sandbox-services/README.md (prefix
 * SANDBOX_ORDERS_).
 */
import { runService } from "./lib/run-service.js";

runService("orders", ({ callDependency }) => async () => {
  const r = await callDependency();
  if (r.kind === "response" && r.status < 300)
    return { status: 200, body: { order: "accepted", payment: "charged" } };
  if (r.kind === "fallback")
    return {
      status: 200,
      body: { order: "accepted", payment: "pending" },
      log: { dependency: "payments", reason: "fallback", cause: r.reason },
    };
  return {
    status: 503,
    body: { error: "payments unavailable", detail: r.kind === "response" ? `HTTP ${r.status}` : r.reason },
    log: { dependency: "payments", reason: r.kind === "response" ? "error" : r.reason },
  };
});
