import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { experimentSchema } from "../../src/experiment/schema.js";
import { InjectorRegistry } from "../../src/faults/injector-registry.js";
import { runExperiment } from "../../src/run/experiment-runner.js";
import type { ProgressSnapshot } from "../../src/run/run-context.js";
import { targetSchema } from "../../src/targets/targets-schema.js";
import { FakeInjector, FakeTarget } from "../faults/fake-injector.js";

/** A short run on the fake injector (no service at all): what a matrix run records. */
const EXPERIMENT = experimentSchema.parse({
  apiVersion: "gameday/v1",
  kind: "Experiment",
  metadata: { name: "fake" },
  spec: {
    target: "fake",
    sampleInterval: "50ms",
    faults: [{ name: "f1", for: "200ms", toxiproxy: { proxy: "p1", toxic: "latency", latency: "10ms" } }],
    recovery: { within: "100ms" },
  },
});

async function run(extra: { runName?: string; parameters?: Record<string, string | number> }) {
  const injectors = new InjectorRegistry();
  injectors.register(new FakeInjector(new FakeTarget()));
  const progress: ProgressSnapshot[] = [];
  const result = await runExperiment({
    file: "fake.yaml",
    experiment: EXPERIMENT,
    targetName: "fake",
    target: targetSchema.parse({}),
    stateDir: mkdtempSync(join(tmpdir(), "gameday-fake-params-")),
    injectors,
    installation: "itest",
    onProgress: (s) => progress.push(s),
    ...extra,
  });
  const runJson = JSON.parse(readFileSync(join(result.artifactsDir, "run.json"), "utf8"));
  const started = JSON.parse(readFileSync(result.journalPath, "utf8").split("\n")[0] ?? "{}");
  return { result, runJson, started, progress };
}

describe("a parameterised run's records", () => {
  it("run.json, the journal and the live progress carry the run's name and every resolved value", async () => {
    const { result, runJson, started, progress } = await run({
      runName: "fake[latency=800ms,toxicity=0.5]",
      parameters: { latency: "800ms", toxicity: 0.5 },
    });
    expect(result.verdict, result.reason).toBe("passed");
    expect(runJson).toMatchObject({
      experiment: "fake[latency=800ms,toxicity=0.5]",
      parameters: { latency: "800ms", toxicity: 0.5 },
    });
    expect(started).toMatchObject({
      type: "run.started",
      data: {
        experiment: "fake[latency=800ms,toxicity=0.5]",
        parameters: { latency: "800ms", toxicity: 0.5 },
      },
    });
    expect(progress.length).toBeGreaterThan(0);
    expect(new Set(progress.map((p) => p.experiment))).toEqual(new Set(["fake[latency=800ms,toxicity=0.5]"]));
  });

  it("a run without parameters records exactly what it did before: no parameters key, its own name", async () => {
    const { runJson, started } = await run({});
    expect(runJson.experiment).toBe("fake");
    expect(runJson).not.toHaveProperty("parameters");
    expect(started.data).not.toHaveProperty("parameters");
  });
});
