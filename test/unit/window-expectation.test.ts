import { describe, expect, it } from "vitest";
import { type Expectation, expectationSchema } from "../../src/experiment/schema.js";
import type { Probe } from "../../src/interfaces/metric-source.js";
import { WindowExpectation } from "../../src/run/expectations/window-expectation.js";
import type { Phase, Timeline } from "../../src/run/timeline.js";

/** A scripted probe: unit tests of our own time semantics, not a stand-in for a real source. */
function probe(values: Record<number, number | undefined>): Probe {
  return { description: "scripted", sample: async (w) => values[w.end] };
}
/** An expectation as the schema parses it from a file (thresholds typed and normalised). */
const spec = (fields: Record<string, unknown>): Expectation =>
  expectationSchema.parse({ name: "e", promql: "x", ...fields });
const load = (metric: string, fields: Record<string, unknown>): Expectation =>
  expectationSchema.parse({ name: "e", source: "load", metric, ...fields });
const timeline = (start: number, end?: number): Timeline => ({
  baseline: { start: 0, end: 5 },
  faults: { f: { start, end } },
  method: { start: 5 },
});
async function ticks(e: WindowExpectation, t: Timeline, times: number[], phase: Phase = "method") {
  for (const now of times) await e.tick(now, phase, t);
}

describe("WindowExpectation time semantics", () => {
  it("always: one violation inside the window fails, samples outside are ignored", async () => {
    const e = new WindowExpectation(spec({ below: 1, during: "f" }), probe({ 5: 9, 10: 0, 20: 2, 40: 9 }));
    await ticks(e, timeline(10), [5, 10]);
    expect(e.status()).toBe("pending");
    await e.tick(20, "method", timeline(10));
    expect(e.status()).toBe("failed");
    expect(e.settled).toBe(true);
    // Failed early for live progress, but it samples on to the end of its window.
    expect(e.done).toBe(false);
    const r = e.finish(timeline(10, 30));
    expect(r.summary).toContain("worst 2 >= 1");
    expect(r.violation).toMatchObject({ worst: 2, startedAfterMs: 10, violatingMs: 10, windowMs: 20 });
  });

  it("always: passes at the end when every sample held; no data at all is a failure", async () => {
    const ok = new WindowExpectation(spec({ below: 1, during: "f" }), probe({ 10: 0, 20: 0.5 }));
    await ticks(ok, timeline(10), [10, 20]);
    const passed = ok.finish(timeline(10, 30));
    expect(passed.status).toBe("passed");
    expect(passed.violation).toBeUndefined();
    const none = new WindowExpectation(spec({ below: 1, during: "f" }), probe({}));
    await none.tick(10, "method", timeline(10));
    expect(none.finish(timeline(10, 30)).status).toBe("failed");
  });

  it("eventually: passes on the first holding sample within the deadline, fails after it", async () => {
    const e = new WindowExpectation(
      spec({ equals: 2, during: "f", within: "10ms" }),
      probe({ 12: 0, 15: 2 }),
    );
    await e.tick(12, "method", timeline(10));
    expect(e.status()).toBe("pending");
    await e.tick(15, "method", timeline(10));
    expect(e.status()).toBe("passed");
    expect(e.done).toBe(true);
    const late = new WindowExpectation(
      spec({ equals: 2, during: "f", within: "10ms" }),
      probe({ 12: 0, 14: 1, 25: 2 }),
    );
    await ticks(late, timeline(10), [12, 14, 25]);
    expect(late.status()).toBe("failed");
    expect(late.finish(timeline(10, 30)).summary).toContain("never held in its window; closest 1");
  });

  it("at end: one sample when the rollback phase starts", async () => {
    const e = new WindowExpectation(spec({ atLeast: 1, at: "end" }), probe({ 30: 1 }));
    await e.tick(20, "method", timeline(10));
    expect(e.status()).toBe("pending");
    await e.tick(30, "rollback", timeline(10, 30));
    expect(e.status()).toBe("passed");
  });

  it("recovered within: counts from the verified end of rollback", async () => {
    const e = new WindowExpectation(spec({ below: 1, recoveredWithin: "10ms" }), probe({ 35: 3, 38: 0 }));
    const t: Timeline = { ...timeline(10, 30), rollbackEnd: 31 };
    await e.tick(35, "recovery", t);
    expect(e.status()).toBe("pending");
    await e.tick(38, "recovery", t);
    expect(e.status()).toBe("passed");
  });
});

describe("an always expectation keeps sampling after its first violation", () => {
  // Window [100, 200]; samples every 10; values violate (>= 50) at 120-140 and 170, worst 90 at 130.
  const values = { 100: 10, 110: 20, 120: 60, 130: 90, 140: 55, 150: 10, 160: 10, 170: 70, 180: 10, 190: 10 };
  const times = Object.keys(values).map(Number);

  it("reports the worst value, when the violation started and how long it lasted in total", async () => {
    const e = new WindowExpectation(load("p95", { below: "50ms", during: "f" }), probe(values));
    await ticks(e, timeline(100), times);
    expect(e.status()).toBe("failed");
    expect(e.done).toBe(false);
    await e.tick(201, "rollback", timeline(100, 200));
    expect(e.done).toBe(true);
    const r = e.finish(timeline(100, 200));
    expect(r.violation).toEqual({
      worst: 90,
      worstText: "90 ms >= 50 ms",
      worstAt: 130,
      worstAfterMs: 30,
      startedAt: 120,
      startedAfterMs: 20,
      violatingMs: 40, // 120-150 and 170-180
      longestMs: 30,
      episodes: 2,
      windowMs: 100,
      violatingSamples: 4,
      samples: 10,
    });
    // Every sample of the window was taken, not only those up to the first violation.
    expect(r.samples.map((s) => s.t)).toEqual(times);
    expect(r.summary).toContain("worst 90 ms >= 50 ms at +0.0 s");
    expect(r.summary).toContain("violated from +0.0 s for 0.0 s of the 0.1 s window in 2 episodes");
  });

  it("a violation that lasts to the window's end counts until the fault was reverted", async () => {
    const e = new WindowExpectation(
      spec({ atLeast: 0.9, during: "f" }),
      probe({ 100: 1, 110: 0.5, 120: 0.2 }),
    );
    await ticks(e, timeline(100), [100, 110, 120]);
    const r = e.finish(timeline(100, 150));
    expect(r.violation).toMatchObject({ worst: 0.2, startedAfterMs: 10, violatingMs: 40, episodes: 1 });
  });

  it("samples without data are neither violations nor hold the violation open", async () => {
    const e = new WindowExpectation(spec({ below: 1, during: "f" }), probe({ 100: 5, 120: 0 }));
    await ticks(e, timeline(100), [100, 110, 120]);
    const r = e.finish(timeline(100, 130));
    expect(r.violation).toMatchObject({ violatingMs: 10, violatingSamples: 1, samples: 2 });
  });

  it("equals: the worst value is the one furthest from the target either side", async () => {
    const e = new WindowExpectation(spec({ equals: 2, during: "f" }), probe({ 100: 1, 110: 2, 120: 5 }));
    await ticks(e, timeline(100), [100, 110, 120]);
    expect(e.finish(timeline(100, 130)).violation).toMatchObject({ worst: 5, episodes: 2 });
  });
});

describe("thresholds relative to the run's baseline", () => {
  // Baseline phase samples at 1..4 (median 40), then a fault window [10, 30].
  const baseline = { 1: 1000, 2: 40, 3: 38, 4: 42 };

  it("3x baseline: resolves to 3 x the median of the steady-state samples; passes and fails", async () => {
    const run = async (during: Record<number, number>) => {
      const e = new WindowExpectation(
        load("p95", { below: "3x baseline", during: "f" }),
        probe({ ...baseline, ...during }),
      );
      await ticks(e, timeline(10), [1, 2, 3, 4], "baseline");
      await ticks(e, timeline(10), [10, 20]);
      return e.finish(timeline(10, 30));
    };
    const ok = await run({ 10: 100, 20: 119 });
    expect(ok.status).toBe("passed");
    // median(1000, 40, 38, 42) = 41: one slow warm-up sample does not move the baseline.
    expect(ok.threshold).toMatchObject({ written: "3x baseline", baseline: 41, value: 123 });
    expect(ok.summary).toContain("< 3x baseline (3 x 41 ms = 123 ms)");
    const bad = await run({ 10: 100, 20: 312 });
    expect(bad.status).toBe("failed");
    expect(bad.summary).toContain("worst 312 ms >= 123 ms");
    expect(bad.summary).toContain("< 3x baseline (3 x 41 ms = 123 ms)");
  });

  it("the probe is sampled during the steady state even when the window is a fault", async () => {
    let baselineCalls = 0;
    const counting: Probe = {
      description: "counting",
      sample: async (w) => {
        if (w.end < 5) baselineCalls++;
        return 10;
      },
    };
    const e = new WindowExpectation(spec({ below: "2x baseline", during: "f" }), counting);
    await ticks(e, timeline(10), [1, 2, 3], "baseline");
    expect(baselineCalls).toBe(3);
    const absolute = new WindowExpectation(spec({ below: 20, during: "f" }), counting);
    await ticks(absolute, timeline(10), [1, 2], "baseline");
    expect(baselineCalls).toBe(3);
  });

  it("each baseline value covers its own sampling interval, not the steady state so far", async () => {
    const windows: [number, number][] = [];
    const recording: Probe = {
      description: "recording",
      sample: async (w) => {
        windows.push([w.start, w.end]);
        return 1;
      },
    };
    const e = new WindowExpectation(load("p95", { below: "2x baseline", during: "f" }), recording);
    await ticks(e, timeline(10), [1, 2, 3], "baseline");
    // The first from the baseline's start (0), then each from the previous sample.
    expect(windows).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });

  it("baseline + offset, and a factor with a negative offset, in the metric's unit", async () => {
    const plus = new WindowExpectation(
      load("p95", { below: "baseline + 50ms", during: "f" }),
      probe({ 1: 40, 10: 89, 20: 91 }),
    );
    await ticks(plus, timeline(10), [1], "baseline");
    await ticks(plus, timeline(10), [10, 20]);
    const r = plus.finish(timeline(10, 30));
    expect(r.threshold?.value).toBe(90);
    expect(r.threshold?.text).toBe("< baseline + 50ms (40 ms + 50 ms = 90 ms)");
    expect(r.status).toBe("failed");
    const ratio = new WindowExpectation(
      load("successRatio", { atLeast: "1x baseline - 5%", during: "f" }),
      probe({ 1: 1, 10: 0.96, 20: 0.94 }),
    );
    await ticks(ratio, timeline(10), [1], "baseline");
    await ticks(ratio, timeline(10), [10]);
    expect(ratio.status()).toBe("pending");
    await ticks(ratio, timeline(10), [20]);
    expect(ratio.status()).toBe("failed");
    expect(ratio.finish(timeline(10, 30)).threshold?.value).toBeCloseTo(0.95);
  });

  it("no data during the steady state: the relative threshold cannot hold, and says why", async () => {
    const e = new WindowExpectation(spec({ below: "2x baseline", during: "f" }), probe({ 10: 1 }));
    await ticks(e, timeline(10), [1, 2], "baseline");
    await ticks(e, timeline(10), [10]);
    const r = e.finish(timeline(10, 30));
    expect(r.status).toBe("failed");
    expect(r.summary).toContain("no baseline measured");
    expect(r.summary).toContain("no data during the steady state before");
  });
});
