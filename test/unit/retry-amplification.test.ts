import { describe, expect, it } from "vitest";
import { type Expectation, expectationSchema } from "../../src/experiment/schema.js";
import type { CounterReader } from "../../src/interfaces/metric-source.js";
import { RetryAmplificationCheck } from "../../src/run/expectations/retry-amplification-check.js";
import type { Phase, Timeline } from "../../src/run/timeline.js";

/** A counter scripted by time, as Prometheus would answer `sum(counter)` at that instant. */
const counter = (description: string, at: Record<number, number>): CounterReader => ({
  description,
  readAt: async (t) => at[t],
});

const spec = (atMost: number): Expectation =>
  expectationSchema.parse({
    name: "no retry storm",
    check: "retryAmplification",
    service: "payments",
    dependency: "risk",
    during: "slow-risk",
    atMost,
  });

// Baseline read at 1 and 5, fault window [10, 30]: readings at 10 and at the first tick after 30.
const timeline: Timeline = {
  baseline: { start: 0, end: 5 },
  method: { start: 5 },
  faults: { "slow-risk": { start: 10, end: 30 } },
};
const ticks: [number, Phase][] = [
  [1, "baseline"],
  [5, "method"],
  [10, "method"],
  [20, "method"],
  [31, "method"],
];

async function run(atMost: number, calls: Record<number, number>, received: Record<number, number>) {
  const check = new RetryAmplificationCheck(spec(atMost), {
    calls: counter("calls", calls),
    received: counter("received", received),
  });
  for (const [t, phase] of ticks) await check.tick(t, phase, timeline);
  return check.finish();
}

describe("retryAmplification: calls per request the retrying service itself received", () => {
  // The scenario of an upstream breaker shedding load: during the fault payments receives only 50
  // requests (orders' breaker is open), but makes 4 attempts to risk for each of them.
  const calls = { 1: 1000, 5: 1200, 10: 1400, 31: 1600 };
  const received = { 1: 1000, 5: 1200, 10: 1400, 31: 1450 };

  it("reads 4x when every attempt of a 3-retry client times out, whatever the upstream shed", async () => {
    const r = await run(1.6, calls, received);
    // baseline 200 calls / 200 requests = 1; during 200 calls / 50 requests = 4.
    expect(r.status).toBe("failed");
    expect(r.summary).toContain("amplification 4x (want <= 1.6x)");
    expect(r.summary).toContain("baseline 1 (200 calls / 200 requests), during 4 (200 calls / 50 requests)");
    // Per load request (the old measure) the same fault read 200 / 500 = 0.4 and passed.
  });

  it("passes when retries stay bounded", async () => {
    const r = await run(1.6, { ...calls, 31: 1470 }, received);
    // during 70 calls / 50 requests = 1.4
    expect(r.status).toBe("passed");
    expect(r.summary).toContain("amplification 1.40x");
  });

  it("is relative to the baseline's own calls per request", async () => {
    // A service that always makes 2 calls per request: 4 per request under the fault is 2x.
    const r = await run(1.6, { 1: 0, 5: 400, 10: 800, 31: 1000 }, { 1: 0, 5: 200, 10: 400, 31: 425 });
    expect(r.summary).toContain("amplification 4x");
    const twoX = await run(2.5, { 1: 0, 5: 400, 10: 800, 31: 900 }, { 1: 0, 5: 200, 10: 400, 31: 425 });
    expect(twoX.status).toBe("passed");
    expect(twoX.summary).toContain("amplification 2x");
  });

  it("fails, saying why, when the service received nothing during the fault or before it", async () => {
    const none = await run(1.6, calls, { ...received, 31: 1400 });
    expect(none.status).toBe("failed");
    expect(none.summary).toContain("payments received no requests during the fault");
    const noBase = await run(1.6, calls, { ...received, 5: 1000 });
    expect(noBase.status).toBe("failed");
    expect(noBase.summary).toContain("no baseline");
  });
});
