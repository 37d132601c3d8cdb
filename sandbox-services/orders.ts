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
      msg: `order accepted with the payment pending: payments failed (${r.reason})`,
      level: "warn",
    };
  const detail = r.kind === "response" ? `HTTP ${r.status}` : r.reason;
  return {
    status: 503,
    body: { error: "payments unavailable", detail },
    log: { dependency: "payments", reason: r.kind === "response" ? "error" : r.reason },
    msg: `order failed with 503: payments ${detail === "short_circuit" ? "refused by the open breaker" : `answered ${detail}`}`,
  };
});
