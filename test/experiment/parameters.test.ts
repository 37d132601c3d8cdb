// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${param.name} is the reference syntax under test
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperimentText } from "../../src/experiment/experiment-loader.js";
import { parseVarOptions, suppliedValues, unusedValueIssues } from "../../src/experiment/parameter-inputs.js";
import { checkParameterValue } from "../../src/experiment/parameter-schema.js";
import type { SuppliedParameter } from "../../src/experiment/substitute-parameters.js";
import { loadTargets } from "../../src/targets/targets-loader.js";
import { at, HEAD, issuesOf, lines } from "./issues-of.js";

const TARGETS = "test/fixtures/targets/targets.yaml";
const dir = mkdtempSync(join(tmpdir(), "gameday-parameters-"));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** Lines 1-5 HEAD, 6-9 parameters, 10- faults and one expectation. */
const PARAMETERISED = lines(
  ...HEAD,
  "  parameters:",
  "    latency: { type: duration, default: 200ms }",
  "    toxicity: { type: ratio, default: 1 }",
  "    hold: { type: duration, default: 10s }",
  "  faults:",
  "    - name: slow",
  "      for: ${param.hold}",
  '      toxiproxy: { proxy: payments, toxic: latency, latency: "${param.latency}", toxicity: "${param.toxicity}" }',
);

/** One `--var name=value`, parsed as the command line parses it. */
const cli = (name: string, value: string): [string, SuppliedParameter] => [
  name,
  parseVarOptions([`${name}=${value}`]).values.get(name) as SuppliedParameter,
];

describe("spec.parameters and ${param.name}", async () => {
  const targets = await loadTargets(TARGETS);
  const load = (text: string, supplied: [string, SuppliedParameter][] = []) =>
    loadExperimentText(text, "e.yaml", { targets, env: {}, parameters: new Map(supplied) });

  it("uses each default, typed by the parameter and then by the field's own schema", () => {
    const loaded = load(PARAMETERISED);
    const fault = loaded.experiment.spec.faults[0];
    expect(fault?.for).toBe(10_000);
    expect(fault?.toxiproxy).toMatchObject({ latency: 200, toxicity: 1 });
    expect(loaded.parameters).toEqual({ latency: "200ms", toxicity: 1, hold: "10s" });
  });

  it("a supplied value wins over the default; a ratio may be a percentage", () => {
    const loaded = load(PARAMETERISED, [cli("latency", "2s"), cli("toxicity", "50%")]);
    expect(loaded.experiment.spec.faults[0]?.toxiproxy).toMatchObject({ latency: 2000, toxicity: 0.5 });
    expect(loaded.parameters).toEqual({ latency: "2s", toxicity: 0.5, hold: "10s" });
  });

  it("a supplied value of the wrong type is an issue where it was given, naming the parameter's type", async () => {
    const issues = await issuesOf(() => load(PARAMETERISED, [cli("latency", "abc"), cli("toxicity", "2")]));
    expect(issues).toEqual([
      {
        file: "--var",
        path: "latency",
        message:
          '--var latency="abc": expected a duration with a unit such as "800ms", "2s" or "1m30s" (parameter latency is a duration)',
      },
      {
        file: "--var",
        path: "toxicity",
        message:
          '--var toxicity="2": expected a ratio from 0 to 1 such as 0.5, or a percentage such as "50%" (parameter toxicity is a ratio)',
      },
    ]);
  });

  it("a --var value is quoted back as JSON: a control character is escaped, never interpreted", async () => {
    const issues = await issuesOf(() => load(PARAMETERISED, [cli("latency", "\u001b[31mred")]));
    expect(issues[0]?.message).toMatch(/^--var latency="\\u001b\[31mred": expected a duration/);
  });

  it("a value the parameter accepts but the field does not is the field's issue, at its line", async () => {
    const text = lines(
      ...HEAD,
      "  parameters:",
      "    n: { type: number, default: 5 }",
      "  faults:",
      "    - { name: a, for: '${param.n}', toxiproxy: { proxy: payments, toxic: outage } }",
    );
    const issues = await issuesOf(() => load(text));
    expect(issues).toEqual([
      {
        file: "e.yaml",
        ...at(text, 9, "'${param.n}'"),
        path: "spec.faults[0].for",
        message: 'expected a duration with a unit, found the bare number 5: write "5s" or "5ms"',
      },
    ]);
  });

  it("refuses a reference where a parameter could name reach (proxy, URL, target, name), at the reference", async () => {
    const text = lines(
      "apiVersion: gameday/v1",
      "kind: Experiment",
      "metadata: { name: t }",
      "spec:",
      "  target: sandbox",
      "  parameters:",
      "    p: { type: enum, default: payments, values: [payments, inventory] }",
      '  load: { url: "http://127.0.0.1:8080/${param.p}", rate: 5 }',
      "  faults:",
      '    - { name: a, for: 1s, toxiproxy: { proxy: "${param.p}", toxic: outage } }',
    );
    const issues = await issuesOf(() => load(text));
    expect(issues.map((i) => [i.line, i.column, i.path])).toEqual([
      [8, at(text, 8, "${param.p}").column, "spec.load.url"],
      [10, at(text, 10, "${param.p}").column, "spec.faults[0].toxiproxy.proxy"],
    ]);
    for (const issue of issues)
      expect(issue.message).toMatch(
        /^\$\{param\.p\} is not allowed in spec\.\S+: a parameter may set fault attributes, durations, thresholds and rates .*never a host, URL, proxy/,
      );
    // Without the refusal the proxy would be the enum's value, which the allow-list happens to hold.
  });

  it("refuses a reference on an anchored scalar, and the alias that would carry it to a blast radius or a name", async () => {
    const text = lines(
      ...HEAD,
      "  parameters:",
      "    n: { type: number, default: 5 }",
      "    d: { type: duration, default: 200ms }",
      "  faults:",
      '    - { name: a, for: 1s, toxiproxy: { proxy: payments, toxic: bandwidth, rate: &n "${param.n}" } }',
      "    - name: b",
      "      for: 1s",
      "      docker: { select: { project: catalog, service: pricing }, action: restart, max: *n }",
      '    - { name: c, for: 1s, toxiproxy: { proxy: payments, toxic: latency, latency: &d "${param.d}" } }',
      "    - { name: *d, for: 1s, toxiproxy: { proxy: inventory, toxic: outage } }",
    );
    const issues = await issuesOf(() => load(text, [cli("n", "1000"), cli("d", "2s")]));
    expect(issues.map((i) => [i.line, i.column, i.path])).toEqual([
      [10, at(text, 10, '"${param.n}"').column, "spec.faults[0].toxiproxy.rate"],
      [13, at(text, 13, "*n").column, "spec.faults[1].docker.max"],
      [14, at(text, 14, '"${param.d}"').column, "spec.faults[2].toxiproxy.latency"],
      [15, at(text, 15, "*d").column, "spec.faults[3].name"],
    ]);
    for (const issue of issues)
      expect(issue.message).toMatch(/^a parameter reference cannot be anchored or aliased/);
  });

  it("refuses an alias whose target holds a reference anywhere inside it", async () => {
    const text = lines(
      ...HEAD,
      "  parameters:",
      "    d: { type: duration, default: 200ms }",
      "  faults:",
      '    - { name: a, for: 1s, toxiproxy: &t { proxy: payments, toxic: latency, latency: "${param.d}" } }',
      "    - { name: b, for: 1s, toxiproxy: *t }",
      "    - name: c",
      "      for: 1s",
      "      toxiproxy: { <<: *t, proxy: inventory, toxic: latency }",
      // An alias of a node without references is ordinary YAML and stays allowed.
      "    - { name: d, for: &f 1s, toxiproxy: { proxy: inventory, toxic: outage } }",
      "    - { name: e, for: *f, toxiproxy: { proxy: inventory, toxic: outage } }",
    );
    const issues = await issuesOf(() => load(text));
    const refused = issues.filter((i) => i.message.startsWith("a parameter reference cannot be anchored"));
    expect(refused.map((i) => [i.line, i.column, i.path])).toEqual([
      [10, at(text, 10, "*t").column, "spec.faults[1].toxiproxy"],
      [13, at(text, 13, "*t").column, 'spec.faults[2].toxiproxy["<<"]'],
    ]);
  });

  it("a key named like a field inside a selector or header map is still refused", async () => {
    const text = lines(
      ...HEAD,
      "  parameters:",
      "    s: { type: duration, default: 1s }",
      "  faults:",
      '    - { name: a, for: 1s, docker: { select: { labels: { timeout: "${param.s}" } }, action: stop } }',
      "  expect:",
      '    - { name: e, scrape: { target: orders, metric: m, labels: { delay: "${param.s}" } }, above: 0, during: a }',
    );
    const issues = await issuesOf(() => load(text));
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        "spec.faults[0].docker.select.labels.timeout",
        "spec.expect[0].scrape.labels.delay",
      ]),
    );
    for (const path of ["spec.faults[0].docker.select.labels.timeout", "spec.expect[0].scrape.labels.delay"])
      expect(issues.find((i) => i.path === path)?.message).toMatch(/^\$\{param\.s\} is not allowed in /);
  });

  it("an unknown parameter is an issue at the reference, with the likely intended one", async () => {
    const text = PARAMETERISED.replace('"${param.latency}"', '"${param.latncy}"');
    const issues = await issuesOf(() => load(text));
    expect(issues).toEqual([
      {
        file: "e.yaml",
        ...at(text, 7, "latency:"),
        path: "spec.parameters.latency",
        message: "parameter latency is declared but no field uses ${param.latency}: remove it or use it",
      },
      {
        file: "e.yaml",
        ...at(text, 13, "${param.latncy}"),
        path: "spec.faults[0].toxiproxy.latency",
        message:
          'unknown parameter latncy: expected one declared in spec.parameters (latency, toxicity, hold); did you mean "latency"?',
      },
    ]);
  });

  it("a bad declaration is the schema's issue at its line, and references to it add nothing", async () => {
    const text = PARAMETERISED.replace("default: 200ms", "default: 200").replace(
      "type: ratio, default: 1",
      "type: enum, default: x",
    );
    const issues = await issuesOf(() => load(text));
    expect(issues.map((i) => `${i.line}:${i.path}: ${i.message}`)).toEqual([
      '7:spec.parameters.latency.default: expected a duration with a unit such as "800ms" or "2s", found a bare number',
      '8:spec.parameters.toxicity.values: missing required field "values": expected the values of an enum parameter',
    ]);
  });

  it("$${param.x} stays a literal and a file without parameters loads exactly as before", () => {
    const plain = lines(
      ...HEAD,
      "  faults:",
      "    - { name: a, for: 1s, toxiproxy: { proxy: payments, toxic: outage } }",
      "  expect:",
      '    - { name: "literal $${param.x}", http: { url: "http://127.0.0.1:8080/" }, equals: 200 }',
    );
    const withMap = load(plain, [cli("x", "1")]);
    const without = loadExperimentText(plain, "e.yaml", { targets, env: {} });
    expect(withMap.experiment).toEqual(without.experiment);
    expect(without.parameters).toEqual({});
    expect(without.experiment.spec.expect[0]?.name).toBe("literal ${param.x}");
    expect(Object.hasOwn(without.experiment.spec, "parameters")).toBe(false);
  });

  it("the types: integer, number, enum; numbers from the command line are numbers", () => {
    expect(checkParameterValue({ type: "integer" }, "3")).toEqual({ ok: true, value: 3 });
    expect(checkParameterValue({ type: "integer" }, "3.5").ok).toBe(false);
    expect(checkParameterValue({ type: "number" }, "0x10").ok).toBe(false);
    expect(checkParameterValue({ type: "number" }, "1e3")).toEqual({ ok: true, value: 1000 });
    expect(checkParameterValue({ type: "enum", values: ["a"] }, "b").ok).toBe(false);
    expect(checkParameterValue({ type: "duration" }, "25h").ok).toBe(false);
    expect(checkParameterValue({ type: "duration" }, "5s5s").ok).toBe(false);
  });
});

describe("--var and --var-file", () => {
  it("the command line wins over the file, and every value keeps where it came from", () => {
    const file = write("vars.yaml", "latency: 800ms\ntoxicity: 0.5\n");
    const values = suppliedValues({ vars: ["latency=2s"], varFile: file });
    expect(values.get("latency")).toMatchObject({ value: "2s", origin: { file: "--var" } });
    expect(values.get("toxicity")).toMatchObject({
      value: 0.5,
      origin: { file, line: 2, column: 11, path: "toxicity" },
    });
  });

  it("refuses a malformed --var, a repeated one and too many", async () => {
    const issues = await issuesOf(() =>
      suppliedValues({ vars: ["latency", "a-b=1", "__proto__=1", "x=1", "x=2"] }),
    );
    expect(issues.map((i) => i.message)).toEqual([
      'expected --var name=value with a parameter name of letters, digits and _, found "latency"',
      'expected --var name=value with a parameter name of letters, digits and _, found "a-b=1"',
      'expected --var name=value with a parameter name of letters, digits and _, found "__proto__=1"',
      "--var x is given twice: give each parameter once",
    ]);
    const many = Array.from({ length: 65 }, (_, i) => `v${i}=1`);
    expect((await issuesOf(() => suppliedValues({ vars: many })))[0]?.message).toBe(
      "expected at most 64 --var options",
    );
  });

  it("a var file that does not parse or is not a flat map is refused at its line, echoing no value", async () => {
    const secret = "hunter2-very-secret-token";
    const cases = {
      "broken.yaml": [`a: [${secret}\n`, /^invalid YAML: /],
      "list.yaml": [`- ${secret}\n`, /^expected a flat map of parameter names to values/],
      "nested.yaml": [`latency: { x: ${secret} }\n`, /^expected a single value/],
      "badkey.yaml": [`"${secret} x": 1\n`, /^expected a parameter name/],
      "empty.yaml": ["# nothing\n", /^empty file: expected a flat map/],
    } as const;
    for (const [name, [text, message]] of Object.entries(cases)) {
      const file = write(name, text);
      const issues = await issuesOf(() => suppliedValues({ varFile: file }));
      expect(issues[0]?.file).toBe(file);
      expect(issues[0]?.line).toBeGreaterThanOrEqual(1);
      expect(issues[0]?.message).toMatch(message);
      expect(JSON.stringify(issues)).not.toContain(secret);
    }
    const fifo = await issuesOf(() => suppliedValues({ varFile: dir }));
    expect(fifo[0]?.message).toMatch(/^cannot read the var file: it is a directory/);
  });

  it("a var file at the input caps is refused within a second, by count", async () => {
    const big = write("big.yaml", Array.from({ length: 700 }, (_, i) => `v${i}: 1`).join("\n"));
    const started = Date.now();
    const issues = await issuesOf(() => suppliedValues({ varFile: big }));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(issues.map((i) => i.message)).toEqual(["expected at most 64 entries"]);
    const over = write("over.yaml", Array.from({ length: 2100 }, (_, i) => `v${i}: 1`).join("\n"));
    expect((await issuesOf(() => suppliedValues({ varFile: over })))[0]?.message).toMatch(
      /^the var file has more than 1500 YAML items/,
    );
  });

  it("a var file's value of the wrong type is refused at its line without echoing it", async () => {
    const file = write("typo.yaml", "latency: s3cr3t-looking-value\n");
    const supplied = suppliedValues({ varFile: file });
    const targets = await loadTargets(TARGETS);
    const issues = await issuesOf(() =>
      loadExperimentText(PARAMETERISED, "e.yaml", { targets, env: {}, parameters: supplied }),
    );
    expect(issues).toEqual([
      {
        file,
        line: 1,
        column: 10,
        path: "latency",
        message:
          'the value of latency: expected a duration with a unit such as "800ms", "2s" or "1m30s" (parameter latency is a duration)',
      },
    ]);
  });

  it("a value no file declares is refused, naming where it was given and the names that exist", () => {
    const file = write("extra.yaml", "latency: 1s\nlatncy: 2s\n");
    const supplied = suppliedValues({ vars: ["toxcity=0.5"], varFile: file });
    const issues = unusedValueIssues(supplied, new Set(["latency", "toxicity"]));
    expect(issues).toEqual([
      {
        file,
        line: 2,
        column: 9,
        path: "latncy",
        message:
          'latncy (in the var file): no experiment declares a parameter latncy (declared: latency, toxicity); did you mean "latency"?',
      },
      {
        file: "--var",
        path: "toxcity",
        message:
          '--var toxcity: no experiment declares a parameter toxcity (declared: latency, toxicity); did you mean "toxicity"?',
      },
    ]);
  });
});
