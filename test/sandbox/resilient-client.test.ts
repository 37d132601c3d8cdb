import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { AttemptResult } from "../../sandbox-services/lib/http-attempt.js";
import { ResilientClient } from "../../sandbox-services/lib/resilient-client.js";
import { loadServiceConfig } from "../../sandbox-services/lib/service-config.js";
import { createServiceMetrics, type ServiceMetrics } from "../../sandbox-services/lib/service-metrics.js";

const ok: AttemptResult = { outcome: "success", status: 200, body: "{}" };
const down: AttemptResult = { outcome: "error", detail: "ECONNRESET" };
const slow: AttemptResult = { outcome: "timeout", detail: "no answer" };

async function value(
  m: ServiceMetrics,
  name: keyof ServiceMetrics,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = m[name];
  if (!("get" in metric)) throw new Error(`${String(name)} is not a metric`);
  // Histograms report buckets, sum and count: only the count is "how many".
  const values = (await metric.get()).values as Array<{
    value: number;
    labels: Record<string, unknown>;
    metricName?: string;
  }>;
  return values
    .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .filter((v) => v.metricName === undefined || v.metricName.endsWith("_count"))
    .reduce((sum, v) => sum + v.value, 0);
}

/** A client on a scripted dependency: no network, real retry, budget and breaker logic. */
function client(service: "orders" | "payments", env: Record<string, string>, script: AttemptResult[]) {
  const metrics = createServiceMetrics(service);
  const calls: string[] = [];
  const policy = loadServiceConfig(service, env).dependency;
  if (!policy) throw new Error("no dependency");
  const c = new ResilientClient(policy, metrics, {
    random: () => 0.1,
    attempt: async (url) => {
      calls.push(url.pathname);
      return script.length > 1 ? (script.shift() as AttemptResult) : (script[0] as AttemptResult);
    },
  });
  return { c, metrics, calls };
}

describe("resilient client", () => {
  it("retries failed attempts up to the limit, counting every attempt and each backoff", async () => {
    const { c, metrics, calls } = client("payments", {}, [down, slow, ok]);
    expect(await c.call()).toMatchObject({ kind: "response", status: 200 });
    expect(calls).toEqual(["/score", "/score", "/score"]);
    expect(await value(metrics, "depRequests", { outcome: "error" })).toBe(1);
    expect(await value(metrics, "depRequests", { outcome: "timeout" })).toBe(1);
    expect(await value(metrics, "depRequests", { outcome: "success" })).toBe(1);
    expect(await value(metrics, "depRetries")).toBe(2);
    expect(await value(metrics, "retryBackoff", { attempt: "1" })).toBe(1);
    expect(await value(metrics, "retryBackoff", { attempt: "2" })).toBe(1);
  });

  it("gives up after the last retry and reports the failure (payments answers 503 then)", async () => {
    const { c, metrics, calls } = client("payments", {}, [down]);
    expect(await c.call()).toMatchObject({ kind: "failure", reason: "error" });
    expect(calls).toHaveLength(4);
    expect(await value(metrics, "depErrors")).toBe(4);
  });

  it("stops retrying when the budget is spent", async () => {
    const { c, metrics, calls } = client(
      "payments",
      { SANDBOX_PAYMENTS_RETRY_BUDGET_MIN_RETRIES: "2", SANDBOX_PAYMENTS_RETRY_BUDGET_RATIO: "0" },
      [down],
    );
    await c.call(); // 1 attempt + 2 retries, then the budget says no
    await c.call(); // no retry left at all
    expect(calls).toHaveLength(4);
    expect(await value(metrics, "depRetries")).toBe(2);
    expect(await value(metrics, "depRetriesDenied")).toBe(2);
  });

  it("without the budget (`retry-budget`) retries every failed attempt", async () => {
    const { c, metrics, calls } = client(
      "payments",
      {
        SANDBOX_PAYMENTS_RETRY_BUDGET_MIN_RETRIES: "2",
        SANDBOX_PAYMENTS_RETRY_BUDGET_RATIO: "0",
        SANDBOX_BREAK: "retry-budget",
      },
      [down],
    );
    await c.call();
    await c.call();
    expect(calls).toHaveLength(8);
    expect(await value(metrics, "depRetriesDenied")).toBe(0);
  });

  it("records the planned backoff exactly, and none with the `backoff` switch", async () => {
    const jittered = client("payments", {}, [down, down, ok]);
    await jittered.c.call();
    const planned = await jittered.metrics.retryBackoffPlanned.get();
    const sum = (attempt: string) =>
      planned.values.find((v) => v.metricName?.endsWith("_sum") && v.labels.attempt === attempt)?.value;
    expect([sum("1"), sum("2")]).toEqual([0.0025, 0.005]); // random 0.1 of 25 ms and of 50 ms
    const immediate = client("payments", { SANDBOX_BREAK: "backoff" }, [down, ok]);
    await immediate.c.call();
    const none = await immediate.metrics.retryBackoffPlanned.get();
    expect(none.values.find((v) => v.metricName?.endsWith("_sum"))?.value).toBe(0);
  });

  it("sheds calls beyond the bulkhead without the network: orders to its fallback, payments as a failure", async () => {
    const hold = new Promise<AttemptResult>(() => {}); // never answers
    for (const service of ["orders", "payments"] as const) {
      const metrics = createServiceMetrics(service);
      const policy = loadServiceConfig(service, {}).dependency;
      if (!policy) throw new Error("no dependency");
      let attempts = 0;
      const c = new ResilientClient(policy, metrics, {
        attempt: () => {
          attempts++;
          return hold;
        },
      });
      const limit = policy.bulkhead.maxConcurrent + policy.bulkhead.maxQueue;
      for (let i = 0; i < limit; i++) void c.call();
      const shed = await c.call();
      expect(shed).toMatchObject(
        service === "orders" ? { kind: "fallback", reason: "shed" } : { kind: "failure", reason: "shed" },
      );
      expect(attempts).toBe(policy.bulkhead.maxConcurrent);
      expect(await value(metrics, "depInFlight")).toBe(policy.bulkhead.maxConcurrent);
      expect(await value(metrics, "depQueued")).toBe(policy.bulkhead.maxQueue);
      expect(await value(metrics, "depShed")).toBe(1);
    }
  });

  it("does not retry with the `retries` switch", async () => {
    const { c, calls } = client("payments", { SANDBOX_BREAK: "retries" }, [down]);
    expect(await c.call()).toMatchObject({ kind: "failure" });
    expect(calls).toHaveLength(1);
  });

  it("opens the breaker, serves the fallback while open, and closes after a good trial", async () => {
    const { c, metrics, calls } = client("orders", { SANDBOX_ORDERS_BREAKER_RESET_TIMEOUT_MS: "150" }, [
      slow,
      slow,
      slow,
      slow,
      slow,
      ok,
    ]);
    for (let i = 0; i < 5; i++) expect(await c.call()).toMatchObject({ kind: "fallback", reason: "timeout" });
    expect(await value(metrics, "breakerState")).toBe(2);
    expect(await c.call()).toMatchObject({ kind: "fallback", reason: "short_circuit" });
    expect(calls).toHaveLength(5); // the short circuit never reached the network
    expect(await value(metrics, "depShortCircuits")).toBe(1);
    await sleep(200);
    expect(await value(metrics, "breakerState")).toBe(1);
    expect(await c.call()).toMatchObject({ kind: "response", status: 200 });
    expect(await value(metrics, "breakerState")).toBe(0);
    expect(await value(metrics, "breakerTransitions", { to: "open" })).toBe(1);
    expect(await value(metrics, "breakerTransitions", { to: "half_open" })).toBe(1);
    expect(await value(metrics, "breakerTransitions", { to: "closed" })).toBe(1);
    expect(await value(metrics, "fallbacks")).toBe(6);
  });

  it("with the `breaker-close` switch stays open: no half-open trial", async () => {
    const { c, metrics, calls } = client(
      "orders",
      { SANDBOX_ORDERS_BREAKER_RESET_TIMEOUT_MS: "50", SANDBOX_BREAK: "breaker-close" },
      [slow, slow, slow, slow, slow, ok],
    );
    for (let i = 0; i < 5; i++) await c.call();
    await sleep(150);
    expect(await c.call()).toMatchObject({ kind: "fallback", reason: "short_circuit" });
    expect(calls).toHaveLength(5);
    expect(await value(metrics, "breakerState")).toBe(2);
  });

  it("with the `breaker` switch calls the dependency every time and keeps the gauge at 0", async () => {
    const { c, metrics, calls } = client("orders", { SANDBOX_BREAK: "breaker" }, [slow]);
    for (let i = 0; i < 10; i++) expect(await c.call()).toMatchObject({ kind: "fallback" });
    expect(calls).toHaveLength(10);
    expect(await value(metrics, "breakerState")).toBe(0);
  });

  it("with the `fallback` switch reports the failure instead", async () => {
    const { c } = client("orders", { SANDBOX_BREAK: "fallback" }, [down]);
    expect(await c.call()).toMatchObject({ kind: "failure", reason: "error" });
  });
});
