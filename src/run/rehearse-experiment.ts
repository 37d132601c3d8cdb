import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlackoutError } from "../errors/blackout-error.js";
import { ExitCode, type ExitCodeValue, GamedayError } from "../errors/gameday-error.js";
import { HaltedError } from "../errors/halted-error.js";
import { InjectorRegistry } from "../faults/injector-registry.js";
import { LoadGenerator } from "../load/load-generator.js";
import { createProbe } from "../probes/probe-factory.js";
import { PrometheusClient } from "../probes/prometheus-client.js";
import { checkAlertGuard } from "../safety/alert-guard.js";
import { blackoutRefusal } from "../safety/blackout-window.js";
import type { RunRequest } from "./experiment-runner.js";
import { installationId } from "./installation-id.js";
import { Journal } from "./journal.js";
import { plannedDuration } from "./planned-duration.js";
import type { RunContext } from "./run-context.js";
import { SampleLog } from "./samples/sample-log.js";
import { preflightStep } from "./steps/preflight-step.js";
import { steadyStateBefore } from "./steps/steady-state-step.js";

export interface RehearsalResult {
  name: string;
  exitCode: ExitCodeValue;
  /** One line per thing checked, `ok` or not. */
  lines: { ok: boolean; text: string }[];
}

/**
 * `gameday run --rehearse`: the safety checks, preflight, the steady state before (with the load
 * running) and one sample of every expectation and abort condition, and nothing injected: no
 * method step exists on this path, so no fault can be. Nothing is recorded in the run history;
 * the steps' journal and samples go to a temporary folder that is removed afterwards.
 */
export async function rehearseExperiment(req: RunRequest): Promise<RehearsalResult> {
  const { experiment } = req;
  const spec = experiment.spec;
  const name = req.runName ?? experiment.metadata.name;
  const lines: RehearsalResult["lines"] = [];
  const scratch = mkdtempSync(join(tmpdir(), "gameday-rehearse-"));
  const journal = new Journal(scratch, "rehearsal");
  const ctx: RunContext = {
    runId: "rehearsal",
    name,
    installation: installationId({ fromTargets: req.installation }),
    fence: async () => {},
    experiment,
    journal,
    timeline: { faults: {} },
    phase: "preflight",
    startedAt: Date.now(),
    plannedMs: plannedDuration(experiment),
    injectors: req.injectors ?? (await InjectorRegistry.forTarget(req.target)),
    probes: { target: req.target, prometheus: PrometheusClient.forTarget(req.target) },
    evaluators: [],
    active: new Map(),
    touched: new Set(),
    signal: req.signal ?? new AbortController().signal,
    samples: new SampleLog(scratch),
  };
  let exitCode: ExitCodeValue = ExitCode.passed;
  try {
    const halted = await req.halt?.current();
    if (halted) throw new HaltedError(halted, req.halt?.where ?? "the halt switch");
    const blackout = blackoutRefusal(req.target.blackouts, req.targetName, Date.now(), ctx.plannedMs);
    if (blackout) throw new BlackoutError(blackout);
    await checkAlertGuard(req.targetName, req.target);
    lines.push({ ok: true, text: "not halted, no blackout window, no guarded alert firing" });
    if (spec.load) {
      ctx.load = new LoadGenerator(spec.load, ctx.plannedMs + 60_000);
      ctx.probes.load = ctx.load.stats;
    }
    const plans = await preflightStep(ctx);
    for (const p of plans)
      lines.push({
        ok: true,
        text: `fault ${p.fault}: would ${p.action} on ${p.targets.join(", ")} (not injected)`,
      });
    ctx.load?.start();
    const baselineStart = Date.now();
    for (const s of await steadyStateBefore(ctx)) {
      lines.push({ ok: s.ok, text: `steady state "${s.name}": ${s.summary}` });
      if (!s.ok) exitCode = ExitCode.notRun;
    }
    const now = Date.now();
    const probes = [
      ...spec.expect.map((e, i) => ({ what: `expectation "${e.name ?? i}"`, sel: e })),
      ...spec.abortWhen.map((a, i) => ({ what: `abort condition "${a.name ?? i}"`, sel: a })),
    ];
    for (const { what, sel } of probes) {
      if ("check" in sel && sel.check) {
        lines.push({
          ok: true,
          text: `${what}: built-in check ${sel.check}, its series read during the steady state`,
        });
        continue;
      }
      try {
        const probe = createProbe(sel, ctx.probes);
        const value = await probe.sample({ start: baselineStart, end: now });
        if (value === undefined) exitCode = ExitCode.notRun;
        lines.push({
          ok: value !== undefined,
          text: `${what}: ${probe.description} = ${value ?? "no data"}`,
        });
      } catch (err) {
        exitCode = ExitCode.notRun;
        lines.push({ ok: false, text: `${what}: ${(err as Error).message}` });
      }
    }
  } catch (err) {
    exitCode = err instanceof GamedayError ? err.exitCode : ExitCode.error;
    lines.push({ ok: false, text: (err as Error).message });
  } finally {
    await ctx.load?.stop();
    ctx.samples?.close();
    journal.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  return { name, exitCode, lines };
}
