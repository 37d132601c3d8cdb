import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Experiment, experimentSchema } from "../../src/experiment/schema.js";
import type { InjectorRegistry } from "../../src/faults/injector-registry.js";
import type { PrometheusClient } from "../../src/probes/prometheus-client.js";
import { Journal } from "../../src/run/journal.js";
import type { RunContext } from "../../src/run/run-context.js";
import { steadyStateBefore, steadyStateRecovery } from "../../src/run/steps/steady-state-step.js";

const dir = mkdtempSync(join(tmpdir(), "gameday-baseline-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const experiment = (below: string): Experiment =>
  experimentSchema.parse({
    apiVersion: "gameday/v1",
    kind: "Experiment",
    metadata: { name: "baseline" },
    spec: {
      target: "t",
      sampleInterval: "100ms",
      steadyState: [{ name: "latency like before", promql: "x", below, over: "500ms" }],
      faults: [{ name: "f", for: "1s", toxiproxy: { proxy: "p", toxic: "outage" } }],
    },
  });

/** A run context with a scripted Prometheus: the steady-state step's own logic, nothing faked inside it. */
function context(exp: Experiment, value: () => number): RunContext {
  const prometheus = { instant: async () => value() } as unknown as PrometheusClient;
  return {
    runId: "r",
    installation: "test",
    fence: async () => {},
    experiment: exp,
    journal: new Journal(mkdtempSync(join(dir, "run-")), "r"),
    timeline: { faults: {} },
    phase: "baseline",
    startedAt: Date.now(),
    plannedMs: 1000,
    injectors: {} as InjectorRegistry,
    probes: { target: { scrape: {} } as never, prometheus },
    evaluators: [],
    active: new Map(),
    touched: new Set(),
    signal: new AbortController().signal,
  };
}

describe("steady-state checks with a threshold relative to the baseline", () => {
  it("before: the samples are the baseline (median); recovery compares against it and can fail", async () => {
    let current = 0.2;
    const ctx = context(experiment("2x baseline"), () => current);
    const [before] = await steadyStateBefore(ctx);
    expect(before?.ok).toBe(true);
    expect(before?.summary).toContain("baseline = median 0.2000 of");
    expect(before?.threshold).toMatchObject({ baseline: 0.2, value: 0.4 });

    current = 0.5; // recovery never gets back under 2 x 0.2
    ctx.timeline.rollbackEnd = Date.now();
    const [failed] = await steadyStateRecovery(ctx, Date.now() + 500);
    expect(failed?.ok).toBe(false);
    expect(failed?.summary).toContain("< 2x baseline (2 x 0.2000 = 0.4)");

    current = 0.3;
    ctx.timeline.rollbackEnd = Date.now();
    const [held] = await steadyStateRecovery(ctx, Date.now() + 500);
    expect(held?.ok).toBe(true);
  });

  it("before without data: no baseline, and the steady state does not hold", async () => {
    const ctx = context(experiment("2x baseline"), () => Number.NaN);
    const prom = ctx.probes.prometheus as unknown as { instant: () => Promise<number | undefined> };
    prom.instant = async () => undefined;
    const [before] = await steadyStateBefore(ctx);
    expect(before?.ok).toBe(false);
    expect(before?.summary).toContain("no data for a baseline");
  });
});
