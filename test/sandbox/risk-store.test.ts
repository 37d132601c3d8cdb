import { describe, expect, it } from "vitest";
import { parseTraceparent, serverSpan } from "../../sandbox-services/lib/observe/trace-context.js";
import { ConnectionPool, PoolAcquireTimeout } from "../../sandbox-services/lib/store/connection-pool.js";
import { LruTtlCache } from "../../sandbox-services/lib/store/lru-ttl-cache.js";
import { queryLatencyMs } from "../../sandbox-services/lib/store/query-latency.js";
import { DEFAULT_STORE_POLICY } from "../../sandbox-services/lib/store/store-policy.js";
import { TrailingRatio } from "../../sandbox-services/lib/store/trailing-ratio.js";

const quiet = { onChange: () => {}, onAcquire: () => {} };

describe("risk's store parts", () => {
  it("the LRU/TTL cache evicts the least recently used entry and expires by age", () => {
    let now = 0;
    const c = new LruTtlCache<number, string>(2, 100, () => now);
    c.set(1, "a");
    c.set(2, "b");
    expect(c.get(1)).toBe("a"); // 2 is now the least recently used
    c.set(3, "c");
    expect([c.get(1), c.get(2), c.get(3)]).toEqual(["a", undefined, "c"]);
    now = 100;
    expect(c.get(1)).toBeUndefined();
  });

  it("the pool hands out at most size connections, queues FIFO, times out, and follows a resize", async () => {
    const waits: [number, boolean][] = [];
    const pool = new ConnectionPool(2, { onChange: () => {}, onAcquire: (w, t) => waits.push([w, t]) });
    const a = await pool.acquire(50);
    const b = await pool.acquire(50);
    expect([pool.inUse, pool.open]).toEqual([2, 2]);
    const order: string[] = [];
    const queued = (name: string) =>
      pool.acquire(1000).then((x) => {
        order.push(name);
        return x;
      });
    const c = queued("c");
    const d = queued("d");
    expect(pool.waiting).toBe(2);
    pool.release(a);
    pool.release(b);
    await Promise.all([c, d]);
    expect(order).toEqual(["c", "d"]);
    await expect(pool.acquire(20)).rejects.toBeInstanceOf(PoolAcquireTimeout);
    expect(waits.at(-1)?.[1]).toBe(true);
    pool.resize(3);
    expect(pool.tryAcquire()).toBeDefined();
    expect(pool.tryAcquire()).toBeUndefined();
    pool.resize(1); // 3 in use: none more until two are back
    pool.release(await c);
    expect(pool.tryAcquire()).toBeUndefined();
  });

  it("a pool that shrinks closes idle connections", () => {
    const pool = new ConnectionPool(4, quiet);
    const conns = [pool.tryAcquire(), pool.tryAcquire(), pool.tryAcquire()];
    for (const x of conns) if (x) pool.release(x);
    expect(pool.open).toBe(3);
    pool.resize(1);
    expect(pool.open).toBe(1);
  });

  it("query latency: a base plus a tail, p50 near 2.5 ms and p99 under 20 ms by default, capped", () => {
    const xs = Array.from({ length: 20_000 }, () => queryLatencyMs(DEFAULT_STORE_POLICY.db)).sort(
      (a, b) => a - b,
    );
    const q = (p: number) => xs[Math.floor(p * xs.length)] as number;
    expect(xs[0]).toBeGreaterThanOrEqual(1);
    expect(q(0.5)).toBeGreaterThan(2);
    expect(q(0.5)).toBeLessThan(3);
    expect(q(0.99)).toBeGreaterThan(q(0.5) * 2);
    expect(q(0.99)).toBeLessThan(20);
    expect(queryLatencyMs({ baseMs: 1, tailMedianMs: 1e6, tailSigma: 0, capMs: 50 })).toBe(50);
  });

  it("the trailing hit ratio forgets lookups older than its window", () => {
    let now = 0;
    const r = new TrailingRatio(10, () => now);
    expect(r.ratio()).toBe(1);
    for (let i = 0; i < 10; i++) r.record(false);
    r.record(true);
    expect(r.ratio()).toBeCloseTo(1 / 11);
    now = 10_000;
    r.record(true);
    expect(r.ratio()).toBe(1);
  });

  it("traceparent: valid headers continue the trace, malformed ones start a new one", () => {
    const h = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    expect(parseTraceparent(h)).toEqual({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      parentSpanId: "00f067aa0ba902b7",
      flags: "01",
    });
    for (const bad of [
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      `00-${"0".repeat(32)}-00f067aa0ba902b7-01`,
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
      "00-xyz-00f067aa0ba902b7-01",
      undefined,
    ])
      expect(parseTraceparent(bad)).toBeUndefined();
    const span = serverSpan(h);
    expect(span.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(span.parentSpanId).toBe("00f067aa0ba902b7");
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(serverSpan(undefined).parentSpanId).toBeUndefined();
  });
});
