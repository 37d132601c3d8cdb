// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${param.name} is the reference syntax under test
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { experiment, leftovers, workspace } from "../support/experiment-files.js";
import { ensureSandbox } from "../support/sandbox.js";

/** A small latency on risk (no countermeasure trips): the run passes, so the values are what is tested. */
const PARAMETERISED = experiment({
  name: "risk-latency",
  fault: '{ proxy: risk, toxic: latency, latency: "${param.latency}", toxicity: "${param.toxicity}" }',
  expect: "    - { name: checkout keeps serving, source: load, metric: errorRatio, below: 0.5, during: f1 }",
}).replace(
  "  target: sandbox\n",
  "  target: sandbox\n  parameters:\n    latency: { type: duration, default: 10ms }\n    toxicity: { type: ratio, default: 1 }\n",
);

interface RunJson {
  runId: string;
  experiment: string;
  parameters?: Record<string, string | number>;
  verdict: string;
  artifactsDir: string;
}

/** Every run.json of the state folder, oldest first. */
function runs(stateDir: string): RunJson[] {
  const dir = join(stateDir, "runs");
  return readdirSync(dir)
    .map(
      (id) => JSON.parse(readFileSync(join(dir, id, "run.json"), "utf8")) as RunJson & { startedAt: number },
    )
    .sort((a, b) => a.startedAt - b.startedAt);
}

/** The toxic as it was journalled before injection: what was really asked of Toxiproxy. */
function injectedToxic(runDir: string): Record<string, unknown> {
  const events = readFileSync(join(runDir, "journal.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { type: string; data: { spec?: { toxiproxy?: Record<string, unknown> } } });
  return events.find((e) => e.type === "fault.injecting")?.data.spec?.toxiproxy ?? {};
}

describe("parameters in real runs against the sandbox", () => {
  beforeAll(async () => {
    await ensureSandbox();
    expect(await leftovers()).toEqual([]);
  });

  it("--var sets the injected toxic, and run.json, report.md and JUnit record every value", async () => {
    const ws = workspace();
    const file = ws.write("risk-latency.yaml", PARAMETERISED);
    const junit = join(ws.dir, "j.xml");
    const res = await runCli([
      "run",
      file,
      "--targets",
      ws.targets,
      "--state-dir",
      ws.stateDir,
      "--var",
      "latency=40ms",
      "--junit",
      junit,
    ]);
    expect(res.code, res.stderr).toBe(0);
    const [run] = runs(ws.stateDir);
    expect(run?.experiment).toBe("risk-latency");
    expect(run?.parameters).toEqual({ latency: "40ms", toxicity: 1 });
    expect(injectedToxic(run?.artifactsDir ?? "")).toMatchObject({ latency: 40, toxicity: 1 });
    expect(readFileSync(join(run?.artifactsDir ?? "", "report.md"), "utf8")).toContain(
      "- parameters: latency=40ms, toxicity=1",
    );
    expect(readFileSync(junit, "utf8")).toContain('<property name="param.latency" value="40ms"/>');
    expect(await leftovers()).toEqual([]);
  });

  it("a game day's matrix runs each combination as a named run, in order, each with its own values", async () => {
    const ws = workspace();
    ws.write("risk-latency.yaml", PARAMETERISED);
    const gameDay = ws.write(
      "sweep.yaml",
      `apiVersion: gameday/v1
kind: GameDay
metadata: { name: sweep }
spec:
  experiments: [risk-latency.yaml]
  matrix:
    latency: [10ms, 40ms]
    toxicity: [0.5]
`,
    );
    const html = join(ws.dir, "all.html");
    const res = await runCli([
      "run",
      gameDay,
      "--targets",
      ws.targets,
      "--state-dir",
      ws.stateDir,
      "--html",
      html,
    ]);
    expect(res.code, res.stderr).toBe(0);
    const done = runs(ws.stateDir);
    expect(done.map((r) => [r.experiment, r.parameters, r.verdict])).toEqual([
      ["risk-latency[latency=10ms,toxicity=0.5]", { latency: "10ms", toxicity: 0.5 }, "passed"],
      ["risk-latency[latency=40ms,toxicity=0.5]", { latency: "40ms", toxicity: 0.5 }, "passed"],
    ]);
    expect(done.map((r) => injectedToxic(r.artifactsDir))).toMatchObject([
      { latency: 10, toxicity: 0.5 },
      { latency: 40, toxicity: 0.5 },
    ]);
    expect(readFileSync(join(done[1]?.artifactsDir ?? "", "report.html"), "utf8")).toContain(
      "<dt>parameters</dt><dd>latency=40ms, toxicity=0.5</dd>",
    );
    expect(await leftovers()).toEqual([]);
  });
});
