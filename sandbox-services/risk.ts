/**
 * risk: GET /score, the leaf. Looks the customer's score up in an LRU/TTL cache; a miss takes a
 * connection from a bounded pool (waiting at most its acquire timeout) and queries a simulated
 * database (a base plus a log-normal tail); then SANDBOX_RISK_WORK_MS (default 3 ms) of own work.
 * A pool that stays full answers 503. Environment variables: see sandbox-services/README.md
 * (prefix SANDBOX_RISK_).
 */
import { runService } from "./lib/run-service.js";

/** A pool wait above this is worth a warning: a healthy pool hands a connection out at once. */
const SLOW_POOL_WAIT_MS = 50;

runService("risk", ({ store }) => async () => {
  if (!store) throw new Error("risk runs without its store");
  const r = await store.lookup();
  const pool_wait_ms = Math.round(r.poolWaitMs * 10) / 10;
  if (!r.ok)
    return {
      status: 503,
      body: { error: "risk database unavailable", detail: r.detail },
      log: { reason: r.reason, dependency: "risk-db", pool_wait_ms },
      msg: `score failed with 503: waited ${pool_wait_ms} ms for a database connection (pool risk-db): ${r.detail}`,
    };
  const slow = r.poolWaitMs >= SLOW_POOL_WAIT_MS;
  return {
    status: 200,
    body: { score: r.score },
    log: { dependency: "risk-db", cache: r.cache, pool_wait_ms, query_ms: Math.round(r.queryMs * 10) / 10 },
    ...(slow
      ? {
          level: "warn" as const,
          msg: `score slow: waited ${pool_wait_ms} ms for a database connection (pool risk-db, cache ${r.cache})`,
        }
      : {}),
  };
});
