/**
 * gateway: GET /checkout -> orders GET /orders (through the Toxiproxy proxy `orders`).
 * Countermeasures: a 1500 ms timeout and a bulkhead of 40 checkouts in flight; answers 502 when
 * orders fails, 504 when it times out, 503 when the bulkhead sheds the checkout.
 * Environment variables: see sandbox-services/README.md (prefix SANDBOX_GATEWAY_).
 */

import { runService } from "./lib/run-service.js";
import { parseBody } from "./lib/service-bootstrap.js";

runService("gateway", ({ callDependency }) => async () => {
  const r = await callDependency();
  if (r.kind === "response" && r.status < 300)
    return { status: 200, body: { checkout: "ok", order: parseBody(r.body) } };
  if (r.kind === "failure" && r.reason === "timeout")
    return {
      status: 504,
      body: { error: "orders timed out" },
      log: { dependency: "orders", reason: "timeout" },
      msg: "checkout failed with 504: orders did not answer in time",
    };
  if (r.kind === "failure" && r.reason === "shed")
    return {
      status: 503,
      body: { error: "overloaded: too many checkouts in flight" },
      log: { dependency: "orders", reason: "shed" },
      msg: "checkout shed with 503: too many checkouts in flight",
    };
  const detail = r.kind === "response" ? `HTTP ${r.status}` : r.reason;
  return {
    status: 502,
    body: { error: "orders failed", detail },
    log: { dependency: "orders", reason: r.kind === "response" ? "error" : r.reason },
    msg: `checkout failed with 502: orders answered ${detail}`,
  };
});
