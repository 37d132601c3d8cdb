import { setTimeout as sleep } from "node:timers/promises";
import type { Registry } from "prom-client";
import { ConnectionPool, type PooledConnection } from "./connection-pool.js";
import { LruTtlCache } from "./lru-ttl-cache.js";
import { queryLatencyMs } from "./query-latency.js";
import { createStoreMetrics, type StoreMetrics } from "./store-metrics.js";
import type { StorePolicy } from "./store-policy.js";
import { TrailingRatio } from "./trailing-ratio.js";

const CACHE = "scores";
const POOL = "risk-db";
const DB = "risk-db";

/** What app faults change in the store while they are applied (0 = no fault). */
export interface StoreFaultKnobs {
  /** Share of lookups forced to miss, whatever the cache holds. */
  missRatio: number;
  /** Added to every query, plus a uniform jitter in [0, dbJitterMs). */
  dbExtraMs: number;
  dbJitterMs: number;
}

export type LookupResult =
  | { ok: true; score: number; cache: "hit" | "miss"; poolWaitMs: number; queryMs: number }
  | { ok: false; reason: "pool_timeout"; detail: string; poolWaitMs: number };

/**
 * risk's score lookup: the cache first; on a miss, a connection from the pool (waiting at most the
 * acquire timeout) and a query with a base-plus-tail latency. Every step is a metric, so a game
 * day can see where latency comes from (a lower hit ratio, a longer pool wait, slower queries).
 */
export class RiskStore {
  readonly metrics: StoreMetrics;
  readonly pool: ConnectionPool;
  readonly knobs: StoreFaultKnobs = { missRatio: 0, dbExtraMs: 0, dbJitterMs: 0 };
  private cache: LruTtlCache<number, number>;
  private readonly hitRatio = new TrailingRatio(10);
  private readonly leaked: PooledConnection[] = [];

  constructor(
    private policy: StorePolicy,
    registry: Registry,
    private readonly random: () => number = Math.random,
  ) {
    this.cache = new LruTtlCache(policy.cache.maxEntries, policy.cache.ttlMs);
    this.metrics = createStoreMetrics(registry, {
      cache: CACHE,
      hitRatio: () => this.hitRatio.ratio(),
      entries: () => this.cache.size,
    });
    const m = this.metrics;
    for (const result of ["hit", "miss"]) m.cacheRequests.inc({ cache: CACHE, result }, 0);
    m.poolAcquireTimeouts.inc({ pool: POOL }, 0);
    this.pool = new ConnectionPool(policy.pool.size, {
      onChange: (p) => {
        m.poolSize.set({ pool: POOL }, p.size);
        m.poolInUse.set({ pool: POOL }, p.inUse);
        m.poolOpen.set({ pool: POOL }, p.open);
        m.poolWaiting.set({ pool: POOL }, p.waiting);
      },
      onAcquire: (waitMs, timedOut) => {
        m.poolWait.observe({ pool: POOL }, waitMs / 1000);
        if (timedOut) m.poolAcquireTimeouts.inc({ pool: POOL });
      },
    });
    this.pool.resize(policy.pool.size); // publishes the gauges at their start values
    m.poolLeaked.set({ pool: POOL }, 0);
  }

  get currentPolicy(): StorePolicy {
    return this.policy;
  }

  /** A configuration change, as a restart with new values would make it: the cache starts empty. */
  reconfigureCache(cache: StorePolicy["cache"]): void {
    this.policy = { ...this.policy, cache };
    this.cache = new LruTtlCache(cache.maxEntries, cache.ttlMs);
  }

  /** Only the timeout: the pool's size belongs to the pool-shrink fault, which restores its own. */
  setAcquireTimeout(acquireTimeoutMs: number): void {
    this.policy = { ...this.policy, pool: { ...this.policy.pool, acquireTimeoutMs } };
  }

  async lookup(): Promise<LookupResult> {
    const key = Math.floor(this.random() * this.policy.keys);
    const forcedMiss = this.knobs.missRatio > 0 && this.random() < this.knobs.missRatio;
    const cached = forcedMiss ? undefined : this.cache.get(key);
    this.hitRatio.record(cached !== undefined);
    this.metrics.cacheRequests.inc({ cache: CACHE, result: cached !== undefined ? "hit" : "miss" });
    if (cached !== undefined) return { ok: true, score: cached, cache: "hit", poolWaitMs: 0, queryMs: 0 };
    const waitStarted = performance.now();
    let conn: PooledConnection;
    try {
      conn = await this.pool.acquire(this.policy.pool.acquireTimeoutMs);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      return { ok: false, reason: "pool_timeout", detail, poolWaitMs: performance.now() - waitStarted };
    }
    const poolWaitMs = performance.now() - waitStarted;
    const queryMs =
      queryLatencyMs(this.policy.db, this.random) +
      this.knobs.dbExtraMs +
      (this.knobs.dbJitterMs > 0 ? this.random() * this.knobs.dbJitterMs : 0);
    try {
      await sleep(queryMs);
    } finally {
      this.pool.release(conn);
    }
    this.metrics.queryDuration.observe({ db: DB }, queryMs / 1000);
    const score = Math.round(this.random() * 100);
    this.cache.set(key, score);
    return { ok: true, score, cache: "miss", poolWaitMs, queryMs };
  }

  /** The connection-leak fault: takes one free connection and never gives it back (until revert). */
  leakOne(): boolean {
    const conn = this.pool.tryAcquire();
    if (!conn) return false;
    this.leaked.push(conn);
    this.metrics.poolLeaked.set({ pool: POOL }, this.leaked.length);
    return true;
  }

  get leakedConnections(): number {
    return this.leaked.length;
  }

  releaseLeaked(): void {
    for (const conn of this.leaked.splice(0)) this.pool.release(conn);
    this.metrics.poolLeaked.set({ pool: POOL }, 0);
  }
}
