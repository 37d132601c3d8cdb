// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${param.name} is the reference syntax under test
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { Document } from "yaml";
import { loadInputs } from "../../src/cli/inputs.js";
import { expandGameDays } from "../../src/experiment/expand-game-days.js";
import { matrixNotExpanded } from "../../src/experiment/game-day-matrix.js";
import { suppliedValues } from "../../src/experiment/parameter-inputs.js";
import { validateFiles } from "../../src/experiment/validate-files.js";
import { loadProvePlan } from "../../src/prove/prove-plan.js";
import { buildPayload } from "../../src/queue/build-payload.js";
import { loadPayload } from "../../src/queue/load-payload.js";
import { planNotifiers } from "../../src/report/notify/plan-notifiers.js";
import { loadTargets } from "../../src/targets/targets-loader.js";
import { scratchFiles } from "../support/scratch-files.js";
import { issuesOf } from "./issues-of.js";

const TARGETS = "test/fixtures/targets/targets.yaml";
const { write } = scratchFiles("gameday-matrix-");

const LATENCY = write(
  "latency.yaml",
  `apiVersion: gameday/v1
kind: Experiment
metadata: { name: payments-latency }
spec:
  target: sandbox
  parameters:
    latency: { type: duration, default: 200ms }
    toxicity: { type: ratio, default: 1 }
  faults:
    - name: slow
      for: 5s
      toxiproxy: { proxy: payments, toxic: latency, latency: "\${param.latency}", toxicity: "\${param.toxicity}" }
`,
);
const PLAIN = write(
  "plain.yaml",
  `apiVersion: gameday/v1
kind: Experiment
metadata: { name: plain }
spec:
  target: sandbox
  faults: [{ name: down, for: 1s, toxiproxy: { proxy: payments, toxic: outage } }]
`,
);

/** Lines 1-5 fixed; the matrix's axes from line 7. */
const gameDay = (name: string, members: string[], ...axes: string[]) =>
  write(
    name,
    [
      "apiVersion: gameday/v1",
      "kind: GameDay",
      "metadata: { name: sweep }",
      "spec:",
      `  experiments: [${members.join(", ")}]`,
      "  matrix:",
      ...axes.map((a) => `    ${a}`),
      "",
    ].join("\n"),
  );

describe("a game day's matrix", () => {
  it("expands each member over the axes it declares, first axis slowest, values in written order", async () => {
    const file = gameDay(
      "sweep.yaml",
      ["latency.yaml", "plain.yaml"],
      "latency: [200ms, 800ms, 2s]",
      "toxicity: [0.1, 0.5]",
    );
    const planned = await expandGameDays([file]);
    expect(planned.map((p) => [p.file, p.matrix?.label])).toEqual([
      [LATENCY, "latency=200ms,toxicity=0.1"],
      [LATENCY, "latency=200ms,toxicity=0.5"],
      [LATENCY, "latency=800ms,toxicity=0.1"],
      [LATENCY, "latency=800ms,toxicity=0.5"],
      [LATENCY, "latency=2s,toxicity=0.1"],
      [LATENCY, "latency=2s,toxicity=0.5"],
      [PLAIN, undefined],
    ]);
    const inputs = await loadInputs(planned, TARGETS);
    expect(inputs.map((i) => i.runName ?? i.experiment.metadata.name)).toEqual([
      "payments-latency[latency=200ms,toxicity=0.1]",
      "payments-latency[latency=200ms,toxicity=0.5]",
      "payments-latency[latency=800ms,toxicity=0.1]",
      "payments-latency[latency=800ms,toxicity=0.5]",
      "payments-latency[latency=2s,toxicity=0.1]",
      "payments-latency[latency=2s,toxicity=0.5]",
      "plain",
    ]);
    expect(inputs[3]?.experiment.spec.faults[0]?.toxiproxy).toMatchObject({ latency: 800, toxicity: 0.5 });
    expect(inputs[3]?.parameters).toEqual({ latency: "800ms", toxicity: 0.5 });
    // A member without parameters resolves exactly as before: no parameters, no run name.
    expect(inputs[6]).not.toHaveProperty("parameters");
    expect(inputs[6]).not.toHaveProperty("runName");
    // A value for an axis the matrix leaves out comes from --var, over the default.
    const partial = gameDay("partial.yaml", ["latency.yaml"], "latency: [1s]");
    const withVar = await loadInputs(
      await expandGameDays([partial]),
      TARGETS,
      suppliedValues({ vars: ["toxicity=0.3"] }),
    );
    expect(withVar.map((i) => [i.runName, i.parameters])).toEqual([
      ["payments-latency[latency=1s]", { latency: "1s", toxicity: 0.3 }],
    ]);
  });

  it("an axis that names no parameter is an issue at the axis, with the likely intended one", async () => {
    const file = gameDay("typo.yaml", ["latency.yaml"], "latncy: [200ms]");
    const issues = await issuesOf(() => expandGameDays([file]));
    expect(issues).toEqual([
      {
        file,
        line: 7,
        column: 5,
        path: "spec.matrix.latncy",
        message:
          'matrix axis latncy names no parameter of the game day\'s experiments (they declare: latency, toxicity); did you mean "latency"?',
      },
    ]);
  });

  it("an empty axis, a repeated value and a product over 64 are issues at their lines", async () => {
    const file = gameDay(
      "bad.yaml",
      ["latency.yaml"],
      "latency: []",
      "toxicity: [0.1, 0.1]",
      `a: [${Array.from({ length: 9 }, (_, i) => i).join(", ")}]`,
      `b: [${Array.from({ length: 9 }, (_, i) => i).join(", ")}]`,
    );
    const issues = await issuesOf(() => expandGameDays([file]));
    expect(issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual([
      "7:5 spec.matrix: the axes make 162 combinations (the product of their lengths), above the limit of 64",
      "7:14 spec.matrix.latency: expected at least one value: an empty axis makes no run, found an empty list",
      "8:21 spec.matrix.toxicity[1]: expected each value once: this one is already in the axis, found 0.1",
    ]);
  });

  it("refuses more than 100 runs in all (as many as a game day may list), at the matrix", async () => {
    const values = `[${Array.from({ length: 64 }, (_, i) => `${i + 1}ms`).join(", ")}]`;
    const file = gameDay("big.yaml", Array(5).fill("latency.yaml"), `latency: ${values}`);
    const started = Date.now();
    const issues = await issuesOf(() => expandGameDays([file]));
    expect(issues.map((i) => `${i.line} ${i.path}: ${i.message}`)).toEqual([
      "6 spec.matrix: the matrix expands the game day to 320 runs, above the limit of 100: use fewer values or fewer experiments",
    ]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("a value of the wrong type is an issue at its place in the game day", async () => {
    const file = gameDay("types.yaml", ["latency.yaml"], "latency: [200ms, fast]", "toxicity: [2]");
    const issues = await issuesOf(async () => loadInputs(await expandGameDays([file]), TARGETS));
    expect(issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual([
      `${file}:7:22 spec.matrix.latency[1]: matrix value for ${LATENCY}: expected a duration with a unit such as "800ms", "2s" or "1m30s" (parameter latency is a duration)`,
      `${file}:8:16 spec.matrix.toxicity[0]: matrix value for ${LATENCY}: expected a ratio from 0 to 1 such as 0.5, or a percentage such as "50%" (parameter toxicity is a ratio)`,
    ]);
    // validate reports the same, beside the game day and its members.
    const results = await validateFiles([file], { targetsFile: TARGETS, references: true });
    expect(results.flatMap((r) => r.issues.map((i) => i.path)).sort()).toEqual([
      "spec.matrix.latency[1]",
      "spec.matrix.toxicity[0]",
    ]);
  });

  it("values are read as their parameter's type before the duplicate check and the run name", async () => {
    const file = gameDay("canon.yaml", ["latency.yaml"], "latency: [' 800ms', 2s]", "toxicity: [0.5, '25%']");
    const planned = await expandGameDays([file]);
    expect(planned.map((p) => p.matrix?.label)).toEqual([
      "latency=800ms,toxicity=0.5",
      "latency=800ms,toxicity=0.25",
      "latency=2s,toxicity=0.5",
      "latency=2s,toxicity=0.25",
    ]);
    const inputs = await loadInputs(planned, TARGETS);
    expect(inputs[1]?.runName).toBe("payments-latency[latency=800ms,toxicity=0.25]");
    expect(inputs[1]?.parameters).toEqual({ latency: "800ms", toxicity: 0.25 });
  });

  it("two values that mean the same, a control character or a name-unfit value are issues at their lines", async () => {
    const file = gameDay(
      "same.yaml",
      ["latency.yaml"],
      'latency: ["800ms\\n", " 800ms", "800ms"]',
      "toxicity: [0.5, '50%']",
    );
    const issues = await issuesOf(() => expandGameDays([file]));
    expect(issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual([
      '7:15 spec.matrix.latency[0]: expected a value without control characters: it becomes part of each run\'s name, found "800ms\\n"',
    ]);
    const spaced = gameDay(
      "spaced.yaml",
      ["latency.yaml"],
      'latency: [" 800ms", "800ms"]',
      "toxicity: [0.5, '50%']",
    );
    const again = await issuesOf(() => expandGameDays([spaced]));
    expect(again.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual([
      `7:5 spec.matrix.latency: matrix axis latency lists 800ms twice (values [0] and [1] as parameter latency of ${LATENCY} reads them, a duration): give each value once`,
      `8:5 spec.matrix.toxicity: matrix axis toxicity lists 0.5 twice (values [0] and [1] as parameter toxicity of ${LATENCY} reads them, a ratio): give each value once`,
    ]);
    // validate says the same (plan and run expand the matrix the same way).
    const results = await validateFiles([spaced], { targetsFile: TARGETS });
    expect(results.flatMap((r) => r.issues.map((i) => i.path))).toEqual([
      "spec.matrix.latency",
      "spec.matrix.toxicity",
    ]);
    // A member whose declaration is broken cannot type the value; it must still fit a run's name.
    write("broken.yaml", readFileSync(LATENCY, "utf8").replace("default: 200ms", "default: nope"));
    const unfit = gameDay("unfit.yaml", ["broken.yaml"], 'latency: ["a <b>"]');
    const named = await issuesOf(() => expandGameDays([unfit]));
    expect(named.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual([
      "7:15 spec.matrix.latency[0]: expected a matrix value of at most 64 letters, digits or _ . % + : - : it becomes part of each run's name",
    ]);
  });

  it("one parse serves every combination: no document is cloned, and no combination sees another's values", async () => {
    const clone = vi.spyOn(Document.prototype, "clone");
    try {
      const file = gameDay("reuse.yaml", ["latency.yaml", "latency.yaml"], "latency: [200ms, 800ms, 2s]");
      const results = await validateFiles([file], { targetsFile: TARGETS, references: true });
      expect(results.map((r) => r.ok)).toEqual([true, true, true]);
      const inputs = await loadInputs(await expandGameDays([file]), TARGETS);
      expect(inputs.map((i) => i.experiment.spec.faults[0]?.toxiproxy)).toMatchObject(
        [200, 800, 2000, 200, 800, 2000].map((latency) => ({ latency })),
      );
      expect(inputs.map((i) => i.parameters?.latency)).toEqual([
        "200ms",
        "800ms",
        "2s",
        "200ms",
        "800ms",
        "2s",
      ]);
      expect(clone).not.toHaveBeenCalled();
    } finally {
      clone.mockRestore();
    }
  });

  it("a --var or var-file value for a matrix axis is refused: which would win is a guess", async () => {
    const file = gameDay("axis.yaml", ["latency.yaml"], "latency: [200ms, 2s]");
    const supplied = suppliedValues({ vars: ["latency=1s"] });
    const issues = await issuesOf(async () => loadInputs(await expandGameDays([file]), TARGETS, supplied));
    expect(issues).toEqual([
      {
        file: "--var",
        path: "latency",
        message: `latency is a matrix axis of ${file}: each run takes its value from the matrix; drop it here or from the matrix`,
      },
    ]);
  });

  it("prove and the queue refuse a matrix at its line instead of dropping it", async () => {
    const file = gameDay("refused.yaml", ["latency.yaml"], "latency: [200ms, 2s]");
    const refusal = (command: string) => ({
      file,
      line: 6,
      column: 3,
      path: "spec.matrix",
      message: `${command} does not expand a matrix: run the game day with gameday run, or list one experiment per value`,
    });
    // Without the guard the queue would carry each member once, with its defaults.
    expect(await issuesOf(() => buildPayload(file, { targetsFile: TARGETS }))).toEqual([
      refusal("the queue"),
    ]);
    // Without it prove would plan the members once each (and then only miss its mutants).
    expect(await issuesOf(() => loadProvePlan(file, TARGETS))).toEqual([refusal("gameday prove")]);
    const text = readFileSync(file, "utf8");
    expect(matrixNotExpanded(text.replace(/ {2}matrix:[\s\S]*$/, ""), file, "gameday prove")).toBeUndefined();
  });

  it("every expanded run of a game day gets the game day's notifier selection", async () => {
    const targets = write(
      "notify-targets.yaml",
      [
        "apiVersion: gameday/v1",
        "kind: Targets",
        "targets:",
        "  sandbox:",
        "    toxiproxy: { url: http://127.0.0.1:1, proxies: [payments] }",
        "    notify:",
        '      x: { format: webhook, url: "http://127.0.0.1:1/x" }',
        '      y: { format: webhook, url: "http://127.0.0.1:1/y" }',
        "",
      ].join("\n"),
    );
    const file = write(
      "notify-sweep.yaml",
      [
        "apiVersion: gameday/v1",
        "kind: GameDay",
        "metadata: { name: sweep }",
        "spec:",
        "  experiments: [latency.yaml, plain.yaml]",
        "  notify: [x]",
        "  matrix: { latency: [200ms, 800ms, 2s], toxicity: [0.1, 0.5] }",
        "",
      ].join("\n"),
    );
    const planned = await expandGameDays([file]);
    const inputs = await loadInputs(planned, targets);
    // Planning only: nothing is sent, the receivers (port 1) are never reached.
    const notifiers = planNotifiers(
      inputs.map((input, i) => ({ ...input, suite: planned[i]?.suite })),
      targets,
    );
    expect(notifiers).toHaveLength(7);
    expect(notifiers.map((n) => n.map((r) => [r.name, r.url]))).toEqual(
      Array(7).fill([["x", "http://127.0.0.1:1/x"]]),
    );
  });

  it("a queued experiment takes its defaults, and the worker records them as an inline run does", async () => {
    const payload = {
      v: 1,
      name: "payments-latency",
      kind: "experiment",
      file: LATENCY,
      continueOnFailure: false,
      experiments: [{ file: LATENCY, text: readFileSync(LATENCY, "utf8") }],
    };
    const { inputs } = loadPayload(payload, await loadTargets(TARGETS));
    expect(inputs[0]?.parameters).toEqual({ latency: "200ms", toxicity: 1 });
  });
});
