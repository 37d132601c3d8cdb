import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export const POOL_WAIT_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
export const QUERY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** The metrics of risk's cache, connection pool and simulated database (sandbox-services/README.md). */
export function createStoreMetrics(
  registry: Registry,
  live: { cache: string; hitRatio: () => number; entries: () => number },
) {
  const registers = [registry];
  return {
    cacheRequests: new Counter({
      name: "cache_requests_total",
      help: "Cache lookups by result (hit or miss; a forced miss counts as a miss)",
      labelNames: ["cache", "result"] as const,
      registers,
    }),
    cacheHitRatio: new Gauge({
      name: "cache_hit_ratio",
      help: "Hits / lookups over the trailing 10 s (1 when there was no lookup)",
      labelNames: ["cache"] as const,
      registers,
      // Computed at scrape time, so the gauge follows its window while nobody asks.
      collect() {
        this.set({ cache: live.cache }, live.hitRatio());
      },
    }),
    cacheEntries: new Gauge({
      name: "cache_entries",
      help: "Entries in the cache",
      labelNames: ["cache"] as const,
      registers,
      collect() {
        this.set({ cache: live.cache }, live.entries());
      },
    }),
    poolSize: new Gauge({
      name: "db_pool_size",
      help: "Connections the pool may have in use at once",
      labelNames: ["pool"] as const,
      registers,
    }),
    poolInUse: new Gauge({
      name: "db_pool_connections_in_use",
      help: "Connections handed out and not released (leaked ones included)",
      labelNames: ["pool"] as const,
      registers,
    }),
    poolOpen: new Gauge({
      name: "db_pool_connections_open",
      help: "Connections open to the database (in use plus idle)",
      labelNames: ["pool"] as const,
      registers,
    }),
    poolLeaked: new Gauge({
      name: "db_pool_connections_leaked",
      help: "Connections taken by the connection-leak fault and never released",
      labelNames: ["pool"] as const,
      registers,
    }),
    poolWaiting: new Gauge({
      name: "db_pool_waiting",
      help: "Callers waiting for a connection",
      labelNames: ["pool"] as const,
      registers,
    }),
    poolWait: new Histogram({
      name: "db_pool_wait_seconds",
      help: "Time an acquire waited for a connection (0 when one was free), timed-out ones included",
      labelNames: ["pool"] as const,
      buckets: POOL_WAIT_BUCKETS,
      registers,
    }),
    poolAcquireTimeouts: new Counter({
      name: "db_pool_acquire_timeouts_total",
      help: "Acquires that gave up waiting for a connection",
      labelNames: ["pool"] as const,
      registers,
    }),
    queryDuration: new Histogram({
      name: "db_query_duration_seconds",
      help: "Simulated database query time, once a connection was held",
      labelNames: ["db"] as const,
      buckets: QUERY_BUCKETS,
      registers,
    }),
  };
}

export type StoreMetrics = ReturnType<typeof createStoreMetrics>;
