/**
 * risk: GET /score, the leaf; answers after SANDBOX_RISK_WORK_MS (default 3 ms).
 * Environment variables: see sandbox-services/README.md (prefix SANDBOX_RISK_).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { runService } from "./lib/run-service.js";

runService("risk", ({ config }) => async () => {
  if (config.workMs > 0) await sleep(config.workMs);
  return { status: 200, body: { score: Math.round(Math.random() * 100) } };
});
