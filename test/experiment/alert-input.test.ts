import { describe, expect, it } from "vitest";
import { describeExpectation } from "../../src/cli/plan/describe-expectation.js";
import { loadExperimentText } from "../../src/experiment/experiment-loader.js";
import { loadTargets } from "../../src/targets/targets-loader.js";
import { runCli } from "../support/cli.js";
import { DEAD_TARGETS_TEXT, scratchFiles } from "../support/scratch-files.js";
import { at, issuesOf, lines } from "./issues-of.js";

const FILE = "exp.yaml";
const NO_PROMETHEUS = DEAD_TARGETS_TEXT.replace('    prometheus: { url: "http://127.0.0.1:1" }\n', "");
const files = scratchFiles("gameday-alert-input-");
const withProm = files.write("targets.yaml", DEAD_TARGETS_TEXT);
const withoutProm = files.write("targets-noprom.yaml", NO_PROMETHEUS);

/** An experiment on target `dead` whose one expectation is written on lines 9-10. */
const experiment = (...expectation: string[]) =>
  lines(
    "apiVersion: gameday/v1",
    "kind: Experiment",
    "metadata: { name: t }",
    "spec:",
    "  target: dead",
    "  faults:",
    "    - { name: db-down, for: 10s, toxiproxy: { proxy: db, toxic: outage } }",
    "  expect:",
    ...expectation,
  );

const load = async (text: string, targetsFile = withProm) =>
  loadExperimentText(text, FILE, { env: {}, targets: await loadTargets(targetsFile) });

describe("alert expectations: input", () => {
  it("loads one, with the source defaulting to the target's Prometheus, and plans it", async () => {
    const text = experiment(
      "    - name: the outage pages",
      "      alert: { name: DbDown, labels: { service: app }, firesWithin: 20s, resolvesWithin: 1m }",
      "      during: db-down",
    );
    const { experiment: exp } = await load(text);
    expect(exp.spec.expect[0]?.alert).toEqual({
      name: "DbDown",
      labels: { service: "app" },
      firesWithin: 20_000,
      resolvesWithin: 60_000,
      source: "prometheus",
    });
    expect(describeExpectation(exp.spec.expect[0] as never, exp)).toBe(
      'the outage pages: alert DbDown{service="app"} on the target\'s prometheus; fires within 20s of the start of fault db-down, +0s..+20s, resolves within 1m after its verified revert',
    );
  });

  it("takes its limits from parameters (durations), never its name", async () => {
    const text = experiment(
      "    - name: pages",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${param.x} is our reference syntax
      '      alert: { name: DbDown, firesWithin: "${param.fire}", resolvesWithin: 1m }',
      "      during: db-down",
    ).replace("  expect:\n", "  parameters:\n    fire: { type: duration, default: 7s }\n  expect:\n");
    const { experiment: exp } = await load(text);
    expect(exp.spec.expect[0]?.alert?.firesWithin).toBe(7_000);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${param.x} is our reference syntax
    const named = text.replace("name: DbDown", 'name: "${param.fire}"');
    const [issue] = await issuesOf(() => load(named));
    expect(issue?.message).toContain("is not allowed in");
  });

  it("refuses an unknown source, and any source on a target without Prometheus, at the field", async () => {
    const text = experiment(
      "    - name: pages",
      "      alert: { name: DbDown, firesWithin: 20s, resolvesWithin: 1m, source: promethues }",
      "      during: db-down",
    );
    const [issue, ...more] = await issuesOf(() => load(text));
    expect(more).toEqual([]);
    expect(issue).toMatchObject({
      file: FILE,
      ...at(text, 10, "promethues"),
      path: "spec.expect[0].alert.source",
    });
    expect(issue?.message).toContain('with an alerts API (prometheus), found "promethues"');
    const bare = text.replace(", source: promethues", "");
    const [noProm] = await issuesOf(() => load(bare, withoutProm));
    expect(noProm?.path).toBe("spec.expect[0].alert.source");
    expect(noProm?.message).toContain("none: the target has no prometheus url");
  });

  it("names the field of a missing name, a bad duration, a stray comparator and a missing during", async () => {
    const text = experiment(
      "    - name: pages",
      "      alert: { firesWithin: 20 parsecs, resolvesWithin: 1m }",
      "      below: 1",
    );
    const issues = await issuesOf(() => load(text));
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
    expect(Object.keys(byPath).sort()).toEqual([
      "spec.expect[0].alert.firesWithin",
      "spec.expect[0].alert.name",
      "spec.expect[0].below",
      "spec.expect[0].during",
    ]);
    expect(byPath["spec.expect[0].alert.firesWithin"]).toMatchObject({ line: 10 });
    expect(byPath["spec.expect[0].below"]?.message).toContain("below does not apply");
    expect(byPath["spec.expect[0].during"]?.message).toContain("expected during: <fault name> with alert");
  });

  it("refuses an alert name that is not a name (it would become query text)", async () => {
    const text = experiment(
      "    - name: pages",
      '      alert: { name: "X\\"} or vector(1)", firesWithin: 20s, resolvesWithin: 1m }',
      "      during: db-down",
    );
    const [issue] = await issuesOf(() => load(text));
    expect(issue).toMatchObject({ path: "spec.expect[0].alert.name", line: 10 });
  });

  it("`gameday validate` exits 2 with file, line and field", async () => {
    const text = experiment(
      "    - name: pages",
      "      alert: { name: DbDown, firesWithin: 20s, resolvesWithin: 1m, source: scrape }",
      "      during: db-down",
    );
    const file = files.write("bad-alert.yaml", text);
    const res = await runCli(["validate", file, "--targets", withProm]);
    expect(res.code, res.stderr + res.stdout).toBe(2);
    expect(res.stderr + res.stdout).toMatch(/bad-alert\.yaml:10:\d+.*spec\.expect\[0\]\.alert\.source/);
  });
});
