import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { loadExperimentText } from "../../src/experiment/experiment-loader.js";
import { quantityOf } from "../../src/experiment/metric-quantity.js";
import { LOAD_METRICS } from "../../src/experiment/metric-schema.js";
import { abortConditionSchema, expectationSchema, steadyStateSchema } from "../../src/experiment/schema.js";
import { parseThreshold } from "../../src/experiment/threshold.js";
import { Comparison, median } from "../../src/run/expectations/comparator.js";
import { at, HEAD, issuesOf, lines } from "../experiment/issues-of.js";

const comparison = (fields: Record<string, unknown>, baseline?: number) => {
  const parsed = expectationSchema.parse({ name: "e", ...fields });
  const c = Comparison.of(parsed);
  c.setBaseline(baseline);
  return c;
};

describe("threshold grammar", () => {
  it("parses every written form into a normalised threshold", () => {
    expect(parseThreshold(0.05)).toMatchObject({ kind: "absolute", amount: { unit: "number", value: 0.05 } });
    expect(parseThreshold("600ms")).toMatchObject({ amount: { unit: "duration", value: 600 } });
    expect(parseThreshold("1m30s")).toMatchObject({ amount: { unit: "duration", value: 90_000 } });
    expect(parseThreshold("1.5%")).toMatchObject({ amount: { unit: "percent", value: 0.015 } });
    expect(parseThreshold("3x baseline")).toEqual({ kind: "relative", text: "3x baseline", factor: 3 });
    expect(parseThreshold("baseline")).toMatchObject({ kind: "relative", factor: 1 });
    expect(parseThreshold(" 2.5 × baseline  +  50ms ")).toEqual({
      kind: "relative",
      text: "2.5 × baseline + 50ms",
      factor: 2.5,
      offset: { text: "50ms", unit: "duration", value: 50 },
    });
    expect(parseThreshold("baseline - 5%")).toMatchObject({ offset: { unit: "percent", value: -0.05 } });
    expect(parseThreshold("baseline + 3")).toMatchObject({ offset: { unit: "number", value: 3 } });
    for (const bad of ["250", "3 times baseline", "600 msec", "baseline * 3", "x baseline", "-5%", "1,5s"])
      expect(parseThreshold(bad), bad).toBeUndefined();
  });
});

describe("each comparator form passes and fails", () => {
  const cases: [string, Record<string, unknown>, number | undefined, number, number][] = [
    // [label, fields, baseline, a value that holds, a value that breaks]
    ["below number (ms)", { source: "load", metric: "p95", below: 250 }, undefined, 249, 250],
    ["below duration", { source: "load", metric: "p95", below: "600ms" }, undefined, 599, 600],
    ["below 1.5s", { source: "load", metric: "p99", below: "1.5s" }, undefined, 1499, 1500],
    ["below percent", { source: "load", metric: "errorRatio", below: "1%" }, undefined, 0.0099, 0.01],
    ["atLeast percent", { source: "load", metric: "successRatio", atLeast: "99%" }, undefined, 0.99, 0.989],
    ["promql duration in seconds", { promql: "x", below: "600ms" }, undefined, 0.59, 0.6],
    ["promql percent", { promql: "x", atMost: "5%" }, undefined, 0.05, 0.051],
    ["above", { promql: "x", above: 0 }, undefined, 1, 0],
    ["equals", { promql: "x", equals: 2 }, undefined, 2, 1],
    ["3x baseline", { source: "load", metric: "p95", below: "3x baseline" }, 41, 122, 123],
    ["baseline + 50ms", { source: "load", metric: "p95", atMost: "baseline + 50ms" }, 40, 90, 91],
    [
      "2x baseline + 1%",
      { source: "load", metric: "errorRatio", below: "2x baseline + 1%" },
      0.01,
      0.029,
      0.03,
    ],
    ["0.5x baseline (above)", { source: "load", metric: "throughput", above: "0.5x baseline" }, 50, 26, 25],
    [
      "baseline - 10 (atLeast)",
      { source: "load", metric: "requests", atLeast: "baseline - 10" },
      250,
      240,
      239,
    ],
    ["promql 2x baseline + 100ms", { promql: "x", below: "2x baseline + 100ms" }, 0.2, 0.49, 0.5],
  ];
  for (const [label, fields, baseline, good, bad] of cases) {
    it(label, () => {
      const c = comparison(fields, baseline);
      expect(c.holds(good), `${good} should hold ${c.describe()}`).toBe(true);
      expect(c.holds(bad), `${bad} should break ${c.describe()}`).toBe(false);
    });
  }

  it("a relative threshold without a baseline never holds", () => {
    const c = comparison({ promql: "x", below: "3x baseline" });
    expect(c.limit()).toBeUndefined();
    expect(c.holds(0)).toBe(false);
    expect(c.describe()).toBe("< 3x baseline (no baseline measured)");
    expect(c.describePlanned()).toBe("< 3x baseline (of the steady state before)");
  });

  it("describes the resolved threshold with units", () => {
    expect(comparison({ source: "load", metric: "p95", below: 250 }).describe()).toBe("< 250 ms");
    expect(comparison({ source: "load", metric: "errorRatio", below: 0.01 }).describe()).toBe("< 0.01");
    expect(comparison({ source: "load", metric: "p95", below: "600ms" }).describe()).toBe("< 600 ms");
    expect(comparison({ source: "load", metric: "p95", below: "1.5s" }).describe()).toBe("< 1.5s (1500 ms)");
    expect(comparison({ source: "load", metric: "errorRatio", below: "1%" }).describe()).toBe("< 1% (0.01)");
    expect(comparison({ promql: "x", below: "600ms" }).describe()).toBe("< 600ms (0.6)");
    expect(comparison({ source: "load", metric: "p95", above: "3x baseline" }, 41).describe()).toBe(
      "> 3x baseline (3 x 41 ms = 123 ms)",
    );
    expect(comparison({ source: "load", metric: "p95", below: "2x baseline - 10ms" }, 41).describe()).toBe(
      "< 2x baseline - 10ms (2 x 41 ms - 10 ms = 72 ms)",
    );
    expect(comparison({ source: "load", metric: "p95", below: "3x baseline" }, 41).describeBreak(312)).toBe(
      "312 ms >= 123 ms",
    );
  });

  it("the baseline is the median of the steady-state samples", () => {
    expect(median([])).toBeUndefined();
    expect(median([5])).toBe(5);
    expect(median([1000, 40, 38, 42])).toBe(41);
    expect(median([3, 1, 2])).toBe(2);
  });
});

describe("every metric has a quantity that decides its unit", () => {
  it("load metrics, promql, scrape, http and retryAmplification", () => {
    const q = (f: Record<string, unknown>) => quantityOf(f);
    expect(q({ source: "load", metric: "p50" })).toBe("latency");
    expect(q({ source: "load", metric: "p95" })).toBe("latency");
    expect(q({ source: "load", metric: "p99" })).toBe("latency");
    expect(q({ source: "load", metric: "errorRatio" })).toBe("ratio");
    expect(q({ source: "load", metric: "successRatio" })).toBe("ratio");
    expect(q({ source: "load", metric: "throughput" })).toBe("rate");
    expect(q({ source: "load", metric: "requests" })).toBe("count");
    expect(q({ promql: "x" })).toBe("prometheus");
    expect(q({ scrape: {} })).toBe("prometheus");
    expect(q({ http: {} })).toBe("status");
    expect(q({ check: "retryAmplification" })).toBe("factor");
  });
});

describe("a threshold that does not fit its metric is a located error", () => {
  const file = (...body: string[]) =>
    lines(
      ...HEAD,
      '  load: { url: "http://127.0.0.1:1/", rate: 5 }',
      "  faults: [{ name: f, for: 1s, toxiproxy: { proxy: p, toxic: outage } }]",
      ...body,
    );
  const only = async (text: string) => {
    const issues = await issuesOf(() => loadExperimentText(text, "exp.yaml", { env: {} }));
    expect(issues).toHaveLength(1);
    return issues[0];
  };

  it("a duration on a ratio", async () => {
    const text = file("  expect:", "    - { name: e, source: load, metric: errorRatio, below: 600ms }");
    expect(await only(text)).toEqual({
      file: "exp.yaml",
      ...at(text, 9, "600ms"),
      path: "spec.expect[0].below",
      message:
        'expected a number from 0 to 1 such as 0.01, or a percentage such as "1%" for load errorRatio (a ratio from 0 to 1), found the duration "600ms"',
    });
  });

  it("a percentage on a latency, and a percentage offset on a latency", async () => {
    const pct = file("  steadyState:", "    - { name: s, source: load, metric: p95, below: 1% }");
    expect((await only(pct))?.message).toBe(
      'expected a duration such as "600ms" or "1.5s", or a number of milliseconds for load p95 (milliseconds), found the percentage "1%"',
    );
    const offset = file("  expect:", "    - { name: e, source: load, metric: p95, below: 3x baseline + 1% }");
    expect((await only(offset))?.message).toContain(
      'expected the offset of "3x baseline + 1%" in milliseconds',
    );
  });

  it("a unit on a throughput, a relative threshold on an http status or an abort condition", async () => {
    const rate = file("  expect:", "    - { name: e, source: load, metric: throughput, above: 1s }");
    expect((await only(rate))?.message).toBe(
      'expected a number of requests per second for load throughput (requests per second), found the duration "1s"',
    );
    const http = file(
      "  expect:",
      '    - { name: e, http: { url: "http://x" }, equals: 2x baseline, at: end }',
    );
    expect((await only(http))?.message).toContain("a baseline-relative threshold means nothing for it");
    const abort = file("  abortWhen:", "    - { source: load, metric: p95, above: 10x baseline }");
    expect(await only(abort)).toMatchObject({
      path: "spec.abortWhen[0].above",
      message:
        'expected an absolute threshold (a duration such as "600ms" or "1.5s", or a number of milliseconds), found "10x baseline": baseline-relative thresholds are for expect and steadyState, which have a baseline',
    });
  });

  it("retryAmplification takes a plain factor and needs the retrying service", async () => {
    const rel = file(
      "  expect:",
      "    - { name: e, check: retryAmplification, service: a, dependency: b, atMost: 2x baseline }",
    );
    expect((await only(rel))?.message).toContain("retryAmplification is already relative to the baseline");
    const noService = file(
      "  expect:",
      "    - { name: e, check: retryAmplification, dependency: b, atMost: 1.5 }",
    );
    expect(await only(noService)).toMatchObject({
      path: "spec.expect[0].service",
      message: expect.stringContaining("expected the retrying service with check: retryAmplification"),
    });
  });

  it("unknown forms say which forms exist; a quoted number says to remove the quotes", async () => {
    const words = file("  expect:", "    - { name: e, source: load, metric: p95, below: 3 times baseline }");
    expect((await only(words))?.message).toBe(
      'expected a number, a duration ("600ms"), a percentage ("1%") or a baseline-relative threshold ("3x baseline", "baseline + 50ms"), found "3 times baseline"',
    );
    const quoted = file("  expect:", '    - { name: e, source: load, metric: p95, below: "250" }');
    expect((await only(quoted))?.message).toMatch(/found "250": remove the quotes$/);
  });

  it("every valid form is accepted where it fits", () => {
    const ok = (schema: { parse: (v: unknown) => unknown }, v: Record<string, unknown>) =>
      expect(() => schema.parse({ name: "n", ...v })).not.toThrow();
    ok(steadyStateSchema, { source: "load", metric: "p95", below: "600ms" });
    ok(steadyStateSchema, { source: "load", metric: "p95", below: "2x baseline" });
    ok(steadyStateSchema, { source: "load", metric: "errorRatio", below: "1%" });
    ok(expectationSchema, { promql: "x", below: "600ms" });
    ok(expectationSchema, { scrape: { target: "t", metric: "m" }, atMost: "baseline + 5%" });
    ok(abortConditionSchema, { source: "load", metric: "p99", above: "1500ms" });
  });
});

describe("the README documents every metric with its unit", () => {
  it("lists each load metric, promql, scrape, http and retryAmplification in its units table", async () => {
    const readme = await readFile("README.md", "utf8");
    const table = readme.slice(
      readme.indexOf("### Metrics and their units"),
      readme.indexOf("### Comparators"),
    );
    const rows = table.split("\n").filter((l) => l.startsWith("| `"));
    for (const name of [...LOAD_METRICS, "promql", "scrape", "http", "retryAmplification"])
      expect(
        rows.some((r) => new RegExp(`[\` ]${name}\``).test(r.split("|")[1] ?? "")),
        `${name} has a row`,
      ).toBe(true);
  });
});

describe("a threshold's duration follows the duration rules", () => {
  it("refuses unit parts out of order or repeated, as durations elsewhere are", () => {
    expect(parseThreshold("30s1m")).toBeUndefined();
    expect(parseThreshold("baseline + 5s5s")).toBeUndefined();
    expect(parseThreshold("1m30s")).toMatchObject({
      kind: "absolute",
      amount: { unit: "duration", value: 90_000 },
    });
  });
});
