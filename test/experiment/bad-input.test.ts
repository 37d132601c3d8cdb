import { describe, expect, it } from "vitest";
import { loadExperimentText } from "../../src/experiment/experiment-loader.js";
import { at, HEAD, issuesOf, lines } from "./issues-of.js";

const FILE = "exp.yaml";
const load = (text: string) => issuesOf(() => loadExperimentText(text, FILE, { env: {} }));
/** The only issue of a file that has exactly one. */
const only = async (text: string) => {
  const issues = await load(text);
  expect(issues).toHaveLength(1);
  return issues[0];
};

describe("bad experiment input: file, line, column, field and what was expected", () => {
  it("malformed YAML: yaml's own error at its position", async () => {
    const text = lines(...HEAD, "  faults: [{ name: a, for: 1s", "  expect: []");
    expect(await only(text)).toMatchObject({ file: FILE, ...at(text, 7, "expect"), path: "" });
    expect((await only(text))?.message).toMatch(/^invalid YAML: Flow .* end with a [}\]]$/);
  });

  it("a duplicate key is a YAML error at the second key", async () => {
    const text = lines(...HEAD, "  target: other", "  faults: []");
    expect(await only(text)).toMatchObject({
      line: 6,
      column: 3,
      message: "invalid YAML: Map keys must be unique",
    });
  });

  it("wrong type: points at the value and says expected and found", async () => {
    const text = lines(
      ...HEAD,
      "  load: { url: http://x, rate: fast }",
      "  faults:",
      "    - { name: a, for: 1s, toxiproxy: { proxy: p, toxic: outage } }",
    );
    expect(await only(text)).toEqual({
      file: FILE,
      ...at(text, 6, "fast"),
      path: "spec.load.rate",
      message: 'expected a number, found "fast"',
    });
  });

  it("a quoted number: tells to remove the quotes", async () => {
    const text = lines(
      ...HEAD,
      '  load: { url: http://x, rate: "50" }',
      "  faults:",
      "    - { name: a, for: 1s, toxiproxy: { proxy: p, toxic: outage } }",
    );
    expect((await only(text))?.message).toBe('expected a number, found "50": remove the quotes');
  });

  it("unknown field: points at the key, lists the valid ones and suggests the likely one", async () => {
    const text = lines(
      ...HEAD,
      "  faults:",
      "    - name: a",
      "      for: 1s",
      "      toxiproxy:",
      "        proxy: payments",
      "        toxic: latency",
      "        latency: 800ms",
      "        toxicty: 0.5",
    );
    expect(await only(text)).toEqual({
      file: FILE,
      ...at(text, 13, "toxicty"),
      path: "spec.faults[0].toxiproxy.toxicty",
      message:
        'unknown field "toxicty": expected one of proxy, stream, toxicity, toxic, latency, jitter; did you mean "toxicity"?',
    });
  });

  it("unknown field with no likely intent: no guess, still the valid ones", async () => {
    const text = lines(
      ...HEAD,
      "  faults: [{ name: a, for: 1s, toxiproxy: { proxy: p, toxic: outage } }]",
      "  colour: blue",
    );
    const issue = await only(text);
    expect(issue).toMatchObject({ line: 7, column: 3, path: "spec.colour" });
    expect(issue?.message).toMatch(/^unknown field "colour": expected one of target, sampleInterval, load, /);
    expect(issue?.message).not.toContain("did you mean");
  });

  it("unit-less duration: says which unit is missing and how to write it", async () => {
    const quoted = lines(
      ...HEAD,
      "  faults:",
      "    - name: a",
      '      for: "60"',
      "      toxiproxy: { proxy: p, toxic: outage }",
    );
    expect(await only(quoted)).toEqual({
      file: FILE,
      ...at(quoted, 8, '"60"'),
      path: "spec.faults[0].for",
      message: 'expected a duration with a unit (ms, s, m, h), found "60" without one: write "60s" or "60ms"',
    });
    const bare = quoted.replace('"60"', "60");
    expect((await only(bare))?.message).toBe(
      'expected a duration with a unit, found the bare number 60: write "60s" or "60ms"',
    );
  });

  it("negative duration", async () => {
    const text = lines(
      ...HEAD,
      "  faults:",
      "    - name: a",
      "      at: -5s",
      "      for: 1s",
      "      toxiproxy: { proxy: p, toxic: outage }",
    );
    expect(await only(text)).toEqual({
      file: FILE,
      ...at(text, 8, "-5s"),
      path: "spec.faults[0].at",
      message: 'expected a duration of 0 or more, found "-5s"',
    });
  });

  it("zero where a positive duration is needed", async () => {
    const text = lines(...HEAD, "  faults: [{ name: a, for: 0s, toxiproxy: { proxy: p, toxic: outage } }]");
    expect(await only(text)).toMatchObject({
      ...at(text, 6, "0s"),
      message: 'expected a duration above 0, found "0s"',
    });
  });

  it("toxicity outside 0..1", async () => {
    const text = lines(
      ...HEAD,
      "  faults:",
      "    - name: a",
      "      for: 1s",
      "      toxiproxy: { proxy: p, toxic: timeout, toxicity: 1.5 }",
    );
    expect(await only(text)).toEqual({
      file: FILE,
      ...at(text, 9, "1.5"),
      path: "spec.faults[0].toxiproxy.toxicity",
      message: "expected toxicity from 0 to 1, found 1.5",
    });
  });

  it("missing required fields: point at the parent object, name the field and its expectation", async () => {
    const text = lines(
      ...HEAD,
      "  faults:",
      "    - name: a",
      "      toxiproxy:",
      "        proxy: payments",
      "        toxic: latency",
    );
    const issues = await load(text);
    expect(issues).toEqual([
      {
        file: FILE,
        line: 7,
        column: 7,
        path: "spec.faults[0].for",
        message: expect.stringMatching(/^missing required field "for": expected a duration/),
      },
      {
        file: FILE,
        line: 8,
        column: 7,
        path: "spec.faults[0].toxiproxy.latency",
        message: expect.stringMatching(/^missing required field "latency": expected a duration/),
      },
    ]);
  });

  it("missing top-level section points at the document", async () => {
    const text = lines(
      "apiVersion: gameday/v1",
      "kind: Experiment",
      "spec: { target: s, faults: [{ name: a, for: 1s, toxiproxy: { proxy: p, toxic: outage } }] }",
    );
    expect(await only(text)).toEqual({
      file: FILE,
      line: 1,
      column: 1,
      path: "metadata",
      message: 'missing required field "metadata": expected a mapping',
    });
  });

  it("an expectation whose during names no fault", async () => {
    const text = lines(
      ...HEAD,
      "  faults: [{ name: slow-payments, for: 1s, toxiproxy: { proxy: p, toxic: outage } }]",
      "  expect:",
      "    - name: orders opens its breaker",
      "      promql: max(circuit_breaker_state)",
      "      equals: 2",
      "      during: slow-payment",
    );
    expect(await only(text)).toEqual({
      file: FILE,
      ...at(text, 11, "slow-payment"),
      path: "spec.expect[0].during",
      message:
        'expected the name of a fault (slow-payments), found "slow-payment"; did you mean "slow-payments"?',
    });
  });

  it("duplicate fault names: the second one, with where the first is", async () => {
    const text = lines(
      ...HEAD,
      "  faults:",
      "    - { name: a, for: 1s, toxiproxy: { proxy: p, toxic: outage } }",
      "    - not a fault",
      "    - { name: a, for: 2s, toxiproxy: { proxy: q, toxic: outage } }",
    );
    const issues = await load(text);
    expect(issues).toHaveLength(2);
    expect(issues[1]).toEqual({
      file: FILE,
      ...at(text, 9, "a,"),
      path: "spec.faults[2].name",
      message: 'expected a unique fault name, found "a" again (first at spec.faults[0])',
    });
  });

  it("unknown toxic type: lists the valid ones and suggests the likely one", async () => {
    const text = lines(
      ...HEAD,
      "  faults:",
      "    - name: a",
      "      for: 1s",
      "      toxiproxy: { proxy: p, toxic: latncy, latency: 1s }",
    );
    expect(await only(text)).toEqual({
      file: FILE,
      ...at(text, 9, "latncy"),
      path: "spec.faults[0].toxiproxy.toxic",
      message:
        'unknown toxic "latncy": expected one of latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, outage; did you mean "latency"?',
    });
  });

  it("multiple documents in one file: points at the second one's ---, still checks the first", async () => {
    const text = lines(
      ...HEAD,
      "  faults: [{ name: a, for: 60, toxiproxy: { proxy: p, toxic: outage } }]",
      "---",
      ...HEAD,
    );
    const issues = await load(text);
    expect(issues).toEqual([
      {
        file: FILE,
        ...at(text, 6, "60"),
        path: "spec.faults[0].for",
        message: expect.stringContaining("bare number 60"),
      },
      {
        file: FILE,
        line: 7,
        column: 1,
        path: "",
        message: 'expected one document per file, found 2 (separated by "---"): put each in its own file',
      },
    ]);
  });

  it("an empty file, or one with only comments", async () => {
    for (const text of ["", "\n\n", "# nothing here yet\n"]) {
      const issue = await only(text);
      expect(issue).toMatchObject({ file: FILE, line: 1, column: 1, path: "" });
      expect(issue?.message).toMatch(/^empty file: expected an Experiment document/);
    }
  });

  it("another kind of file: one issue at kind, not a wall of unknown fields", async () => {
    const text = lines("apiVersion: gameday/v1", "kind: Targets", "targets: {}");
    expect(await only(text)).toMatchObject({ line: 2, column: 7, path: "kind" });
  });

  it("a document that is not a mapping", async () => {
    expect(await only("- one\n- two\n")).toMatchObject({
      line: 1,
      column: 1,
      message: "expected a mapping, found a list",
    });
  });

  it("cross-field rules run even beside a type error, so one pass finds everything", async () => {
    const text = lines(
      ...HEAD,
      "  faults: [{ name: a, for: 1s, toxiproxy: { proxy: p, toxic: outage } }]",
      "  expect:",
      "    - { name: b, check: breakerCycle, service: orders, during: a, within: 10 }",
      "    - { name: m, source: load, metric: p95 }",
    );
    expect(await load(text)).toEqual([
      {
        file: FILE,
        line: 4,
        column: 1,
        path: "spec.load",
        message: expect.stringContaining("since source: load is used"),
      },
      {
        file: FILE,
        line: 8,
        column: 7,
        path: "spec.expect[0].dependency",
        message:
          'missing required field "dependency": expected the called dependency with check: breakerCycle',
      },
      {
        file: FILE,
        ...at(text, 8, "10 }"),
        path: "spec.expect[0].within",
        message: expect.stringContaining("bare number 10"),
      },
      {
        file: FILE,
        line: 9,
        column: 7,
        path: "spec.expect[1]",
        message: "expected exactly one of below, above, atMost, atLeast, equals (found none)",
      },
    ]);
  });
});
