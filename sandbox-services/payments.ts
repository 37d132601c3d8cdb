/**
 * payments: GET /charge -> risk GET /score (through the Toxiproxy proxy `risk`).
 * Countermeasures: a 200 ms timeout per attempt, up to 3 retries with exponential backoff and
 * full jitter under a retry budget, and a bulkhead of 8 charges in flight; answers 503 when risk
 * still fails or the bulkhead sheds the charge, which orders' breaker counts. Environment variables: see sandbox-services/README.md (prefix SANDBOX_PAYMENTS_).
 */

import { runService } from "./lib/run-service.js";
import { parseBody } from "./lib/service-bootstrap.js";

runService("payments", ({ callDependency }) => async () => {
  const r = await callDependency();
  if (r.kind === "response" && r.status < 300)
    return { status: 200, body: { charged: true, risk: parseBody(r.body) } };
  const detail = r.kind === "response" ? `HTTP ${r.status}` : r.reason;
  return {
    status: 503,
    body: { error: "risk unavailable", detail },
    log: { dependency: "risk", reason: r.kind === "response" ? "error" : r.reason },
    msg: `charge failed with 503: risk ${detail === "timeout" ? "timed out" : `answered ${detail}`}`,
  };
});
