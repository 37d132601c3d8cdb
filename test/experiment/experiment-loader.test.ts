import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { loadExperiment, loadExperimentText } from "../../src/experiment/experiment-loader.js";
import { loadTargets } from "../../src/targets/targets-loader.js";
import { issuesOf } from "./issues-of.js";

const FIXTURES = "test/fixtures";
const VALID = `${FIXTURES}/experiments/payments-latency.yaml`;
const TARGETS = `${FIXTURES}/targets/targets.yaml`;

describe("loadExperiment", () => {
  it("parses the README's experiment sketch: durations in ms, defaults applied, target resolved", async () => {
    const loaded = await loadExperiment(VALID, { targets: TARGETS, env: {} });
    const { experiment } = loaded;
    expect(loaded.file).toBe(VALID);
    expect(loaded.target?.toxiproxy?.url).toBe("http://127.0.0.1:8474");
    expect(experiment.metadata).toEqual({
      name: "payments-latency-opens-breaker",
      description: "Payments slows to 800 ms; orders must open its breaker and checkout must keep serving.",
      labels: {},
    });
    expect(experiment.spec.sampleInterval).toBe(1000);
    expect(experiment.spec.load).toEqual({
      url: "http://127.0.0.1:8080/checkout",
      method: "GET",
      rate: 50,
      timeout: 2000,
      maxInFlight: 256,
      headers: {},
    });
    expect(experiment.spec.steadyState[0]).toMatchObject({
      source: "load",
      metric: "errorRatio",
      below: { kind: "absolute", amount: { unit: "number", value: 0.01 } },
      over: 15_000,
    });
    expect(experiment.spec.faults).toEqual([
      {
        name: "slow-payments",
        at: 15_000,
        for: 60_000,
        toxiproxy: {
          proxy: "payments",
          stream: "downstream",
          toxicity: 1,
          toxic: "latency",
          latency: 800,
          jitter: 100,
        },
      },
    ]);
    expect(experiment.spec.expect.map((e) => e.name)).toEqual([
      "orders opens its breaker to payments",
      "checkout keeps serving",
      "no retry storm",
    ]);
    expect(experiment.spec.expect[0]).toMatchObject({
      equals: { amount: { value: 2 } },
      within: 10_000,
      during: "slow-payments",
    });
    expect(experiment.spec.abortWhen[0]).toMatchObject({ above: { amount: { value: 0.5 } }, for: 10_000 });
    expect(experiment.spec.recovery).toEqual({ within: 30_000 });
    // raw is the written document after interpolation: no defaults, durations still strings.
    expect((loaded.raw as { spec: { faults: { for: string }[] } }).spec.faults[0]?.for).toBe("60s");
  });

  it("reports every issue of a file at once, in reading order", async () => {
    const file = `${FIXTURES}/experiments/many-problems.yaml`;
    const issues = await issuesOf(() => loadExperiment(file, { targets: TARGETS, env: {} }));
    expect(issues.map((i) => `${i.line}:${i.column} ${i.path}`)).toEqual([
      "7:49 spec.load.rate",
      "10:12 spec.faults[0].for",
      "15:9 spec.faults[0].toxiproxy.toxicty",
      "16:13 spec.faults[1].name",
      "17:12 spec.faults[1].for",
      "18:44 spec.faults[1].toxiproxy.toxic",
      "21:63 spec.faults[2].toxiproxy.toxicity",
      "23:85 spec.expect[0].during",
    ]);
    expect(issues.every((i) => i.file === file)).toBe(true);
  });

  it("names an unknown target at spec.target, with the known ones and the likely one", async () => {
    const text = (await readFile(VALID, "utf8")).replace("target: sandbox", "target: sandbx");
    const targets = await loadTargets(TARGETS);
    const issues = await issuesOf(() => loadExperimentText(text, VALID, { targets, env: {} }));
    // Only this issue: with the target unknown, its vars are too, so ${GATEWAY_URL} is not flagged.
    expect(issues).toEqual([
      {
        file: VALID,
        line: 8,
        column: 11,
        path: "spec.target",
        message: `unknown target "sandbx": expected one of sandbox, staging; did you mean "sandbox"? (targets file: ${TARGETS})`,
      },
    ]);
  });

  it("a file that does not exist is invalid input, said plainly", async () => {
    const issues = await issuesOf(() => loadExperiment(`${FIXTURES}/nope.yaml`));
    expect(issues).toEqual([
      { file: `${FIXTURES}/nope.yaml`, path: "", message: "cannot read the experiment file: no such file" },
    ]);
  });
});
