import { describe, expect, it } from "vitest";
import type { Expectation } from "../../src/experiment/schema.js";
import type { Probe } from "../../src/interfaces/metric-source.js";
import { WindowExpectation } from "../../src/run/expectations/window-expectation.js";
import type { Timeline } from "../../src/run/timeline.js";

/** A scripted probe: unit tests of our own time semantics, not a stand-in for a real source. */
function probe(values: Record<number, number | undefined>): Probe {
  return { description: "scripted", sample: async (w) => values[w.end] };
}
const base = { name: "e", samples: [] } as unknown as Expectation;
const timeline = (start: number, end?: number): Timeline => ({
  faults: { f: { start, end } },
  method: { start: 0 },
});

describe("WindowExpectation time semantics", () => {
  it("always: one violation inside the window fails, samples outside are ignored", async () => {
    const e = new WindowExpectation({ ...base, below: 1, during: "f" }, probe({ 5: 9, 10: 0, 20: 2, 40: 9 }));
    await e.tick(5, "method", timeline(10));
    await e.tick(10, "method", timeline(10));
    expect(e.status()).toBe("pending");
    await e.tick(20, "method", timeline(10));
    expect(e.status()).toBe("failed");
    expect(e.finish(timeline(10, 30)).summary).toContain("first violated with 2");
  });

  it("always: passes at the end when every sample held; no data at all is a failure", async () => {
    const ok = new WindowExpectation({ ...base, below: 1, during: "f" }, probe({ 10: 0, 20: 0.5 }));
    await ok.tick(10, "method", timeline(10));
    await ok.tick(20, "method", timeline(10));
    expect(ok.finish(timeline(10, 30)).status).toBe("passed");
    const none = new WindowExpectation({ ...base, below: 1, during: "f" }, probe({}));
    await none.tick(10, "method", timeline(10));
    expect(none.finish(timeline(10, 30)).status).toBe("failed");
  });

  it("eventually: passes on the first holding sample within the deadline, fails after it", async () => {
    const e = new WindowExpectation({ ...base, equals: 2, during: "f", within: 10 }, probe({ 12: 0, 15: 2 }));
    await e.tick(12, "method", timeline(10));
    expect(e.status()).toBe("pending");
    await e.tick(15, "method", timeline(10));
    expect(e.status()).toBe("passed");
    const late = new WindowExpectation(
      { ...base, equals: 2, during: "f", within: 10 },
      probe({ 12: 0, 25: 2 }),
    );
    await late.tick(12, "method", timeline(10));
    await late.tick(25, "method", timeline(10));
    expect(late.status()).toBe("failed");
  });

  it("at end: one sample when the rollback phase starts", async () => {
    const e = new WindowExpectation({ ...base, atLeast: 1, at: "end" }, probe({ 30: 1 }));
    await e.tick(20, "method", timeline(10));
    expect(e.status()).toBe("pending");
    await e.tick(30, "rollback", timeline(10, 30));
    expect(e.status()).toBe("passed");
  });

  it("recovered within: counts from the verified end of rollback", async () => {
    const e = new WindowExpectation({ ...base, below: 1, recoveredWithin: 10 }, probe({ 35: 3, 38: 0 }));
    const t: Timeline = { ...timeline(10, 30), rollbackEnd: 31 };
    await e.tick(35, "recovery", t);
    expect(e.status()).toBe("pending");
    await e.tick(38, "recovery", t);
    expect(e.status()).toBe("passed");
  });
});
