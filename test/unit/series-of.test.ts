import { describe, expect, it } from "vitest";
import { expectationSchema } from "../../src/experiment/schema.js";
import { seriesOf } from "../../src/run/samples/series-of.js";

const parsed = (e: object) => expectationSchema.parse({ name: "e", ...e }) as Record<string, unknown>;

/** The chart's threshold line comes from the parsed comparator, in the metric's own unit. */
describe("seriesOf: the threshold a chart draws", () => {
  it("an absolute threshold is drawn in the metric's unit, whatever unit it was written in", () => {
    expect(seriesOf("a", "expect", parsed({ source: "load", metric: "p95", below: "600ms" }))).toMatchObject({
      op: "below",
      threshold: 600,
    });
    expect(
      seriesOf("b", "expect", parsed({ source: "load", metric: "errorRatio", atMost: "5%" })),
    ).toMatchObject({ op: "atMost", threshold: 0.05 });
    expect(seriesOf("c", "expect", parsed({ promql: "up", equals: 1 }))).toMatchObject({
      op: "equals",
      threshold: 1,
    });
  });

  it("a relative threshold has no line until the run resolves it; a check without a comparator has none", () => {
    const rel = seriesOf("d", "expect", parsed({ source: "load", metric: "p95", below: "3x baseline" }));
    expect(rel.op).toBe("below");
    expect(rel.threshold).toBeUndefined();
    const cycle = seriesOf(
      "e",
      "expect",
      parsed({ check: "breakerCycle", service: "orders", dependency: "payments", during: "f" }),
    );
    expect(cycle.op).toBeUndefined();
  });
});
