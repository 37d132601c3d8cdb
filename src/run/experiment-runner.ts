import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BlackoutError } from "../errors/blackout-error.js";
import { ExitCode, type ExitCodeValue, GamedayError } from "../errors/gameday-error.js";
import { HaltedError } from "../errors/halted-error.js";
import type { ParameterValue } from "../experiment/parameter-schema.js";
import type { Experiment } from "../experiment/schema.js";
import { InjectorRegistry } from "../faults/injector-registry.js";
import type { ExpectationResult } from "../interfaces/expectation.js";
import type { HaltSwitch } from "../interfaces/halt-switch.js";
import type { PlannedFault } from "../interfaces/injector.js";
import type { RunLock } from "../interfaces/run-lock.js";
import { LoadGenerator } from "../load/load-generator.js";
import { PrometheusClient } from "../probes/prometheus-client.js";
import { redact } from "../redact/redact.js";
import { checkAlertGuard } from "../safety/alert-guard.js";
import { blackoutRefusal } from "../safety/blackout-window.js";
import type { HaltState } from "../safety/halt-state.js";
import type { Target } from "../targets/targets-schema.js";
import { watchAbortRequest } from "./control/abort-request.js";
import { annotateMonitoringGaps } from "./expectations/monitoring-gap.js";
import { installationId } from "./installation-id.js";
import { Journal, type JournalListener } from "./journal.js";
import { endpointLockNames } from "./lock-names.js";
import { plannedDuration } from "./planned-duration.js";
import { type ProgressSnapshot, type RunContext, setPhase } from "./run-context.js";
import { newRunId } from "./run-id.js";
import type { RunResult } from "./run-result.js";
import { SampleLog } from "./samples/sample-log.js";
import { leftoverStep } from "./steps/leftover-step.js";
import { methodStep } from "./steps/method-step.js";
import { preflightStep } from "./steps/preflight-step.js";
import { rollbackStep } from "./steps/rollback-step.js";
import { type SteadyStateResult, steadyStateBefore, steadyStateRecovery } from "./steps/steady-state-step.js";
import { tickExpectations } from "./steps/tick-expectations.js";
import { TargetLock } from "./target-lock.js";
import { decideVerdict } from "./verdict.js";

export interface RunRequest {
  file: string;
  experiment: Experiment;
  targetName: string;
  target: Target;
  stateDir: string;
  runId?: string;
  signal?: AbortSignal;
  onProgress?: (s: ProgressSnapshot) => void;
  onEvent?: JournalListener;
  injectors?: InjectorRegistry;
  /** The game day this run belongs to, for history and trends; a queue run's id when queued. */
  gameDay?: string | undefined;
  queueRun?: string | undefined;
  /** A live drill's id: its run stays out of every run listing (console, `gameday runs`) until it ends. */
  drill?: string | undefined;
  /** The target lock; the local file lock unless given (queue workers hold theirs in Redis). */
  lock?: RunLock;
  /** The targets file's `installation`; the owner tags use $GAMEDAY_INSTALLATION over it, else one derived from the hostname. */
  installation?: string | undefined;
  /** Every parameter's resolved value, recorded in the journal and run.json. */
  parameters?: Record<string, ParameterValue> | undefined;
  /** A matrix run's name (`payments-latency[latency=800ms]`), for history and reports; metadata.name otherwise. */
  runName?: string | undefined;
  /** The load generator for spec.load, when the caller must reach it during the run (a drill's "shed load"). */
  load?: LoadGenerator | undefined;
  /** `gameday halt`: in force at the start, the run is refused (exit 4); set later, the run aborts as on SIGINT. */
  halt?: HaltSwitch | undefined;
}

/**
 * One run, as plain named steps: preflight, steady state before, method, rollback (always, in
 * finally), recovery, verdict. Outcomes are data in the journal; only bugs throw out of here.
 */
export async function runExperiment(req: RunRequest): Promise<RunResult> {
  const runId = req.runId ?? newRunId();
  const artifactsDir = join(req.stateDir, "runs", runId);
  const journal = new Journal(artifactsDir, runId);
  if (req.onEvent) journal.onEvent(req.onEvent);
  const { experiment } = req;
  const spec = experiment.spec;
  // The console's abort button: the same path as SIGINT, through the run's own signal.
  const consoleAbort = new AbortController();
  const stopWatching = watchAbortRequest(artifactsDir, (r) => {
    journal.write("signal", { signal: "abort request", by: r.by });
    consoleAbort.abort(`abort requested by ${r.by}`);
  });
  const signal = req.signal ? AbortSignal.any([req.signal, consoleAbort.signal]) : consoleAbort.signal;
  // `gameday halt`: a halt already in force refuses the run in preflight; one set later stops it like the abort button.
  const haltedAtStart = await req.halt?.current();
  let halted: HaltState | undefined;
  const stopHaltWatch = haltedAtStart
    ? undefined
    : req.halt?.watch((h) => {
        if (halted) return;
        halted = h;
        journal.write("run.halted", { ...h });
        consoleAbort.abort(`halted by ${h.by}@${h.host}: ${h.reason}`);
      });
  const lock: RunLock =
    req.lock ?? new TargetLock(req.stateDir, endpointLockNames(req.targetName, req.target));
  const name = req.runName ?? experiment.metadata.name;
  const ctx: RunContext = {
    runId,
    name,
    installation: installationId({ fromTargets: req.installation }),
    fence: async () => lock.fence?.(),
    experiment,
    journal,
    timeline: { faults: {} },
    phase: "preflight",
    startedAt: Date.now(),
    plannedMs: plannedDuration(experiment),
    injectors: req.injectors ?? (await InjectorRegistry.forTarget(req.target)),
    probes: {
      target: req.target,
      prometheus: PrometheusClient.forTarget(req.target),
    },
    evaluators: [],
    active: new Map(),
    touched: new Set(),
    signal,
    onProgress: req.onProgress,
    samples: new SampleLog(artifactsDir),
  };
  const parameters = req.parameters ? { parameters: req.parameters } : {};
  journal.write("run.started", {
    experiment: name,
    ...parameters,
    file: req.file,
    target: req.targetName,
    pid: process.pid,
    ...(req.gameDay ? { gameDay: req.gameDay } : {}),
    ...(req.queueRun ? { queueRun: req.queueRun } : {}),
    ...(req.drill ? { drill: req.drill } : {}),
  });
  let plans: PlannedFault[] = [];
  let steadyBefore: SteadyStateResult[] | undefined;
  let recovery: SteadyStateResult[] | undefined;
  let aborted: { reason: string; by: string } | undefined;
  let error: { message: string; exitCode: ExitCodeValue } | undefined;
  const remaining: string[] = [];
  try {
    setPhase(ctx, "preflight");
    if (haltedAtStart) throw new HaltedError(haltedAtStart, req.halt?.where ?? "the halt switch");
    const blackout = blackoutRefusal(req.target.blackouts, req.targetName, Date.now(), ctx.plannedMs);
    if (blackout) throw new BlackoutError(blackout);
    await checkAlertGuard(req.targetName, req.target);
    if (spec.load) {
      // Created (not started) before preflight so load probes can bind to its statistics.
      ctx.load = req.load ?? new LoadGenerator(spec.load, ctx.plannedMs + 60_000);
      ctx.probes.load = ctx.load.stats;
    }
    plans = await preflightStep(ctx);
    await lock.acquire(runId);
    await leftoverStep(ctx);
    ctx.load?.start();
    setPhase(ctx, "baseline");
    steadyBefore = await steadyStateBefore(ctx);
    if (ctx.signal.aborted) aborted = { reason: String(ctx.signal.reason ?? "signal"), by: "signal" };
    else if (steadyBefore.every((s) => s.ok)) {
      setPhase(ctx, "method");
      const outcome = await methodStep(ctx);
      aborted = outcome.aborted;
      remaining.push(...outcome.revertErrors);
      if (outcome.changed) throw outcome.changed;
      setPhase(ctx, "rollback");
      // `at: end` expectations read their single sample here, before anything is reverted.
      await tickExpectations(ctx, Date.now(), "rollback");
    }
  } catch (err) {
    const exitCode = err instanceof GamedayError ? err.exitCode : ExitCode.error;
    error = { message: (err as Error).message, exitCode };
    journal.write("error", {
      message: error.message,
      code: (err as GamedayError).code ?? "E_UNEXPECTED",
      stack: (err as Error).stack,
    });
  } finally {
    if (ctx.phase !== "rollback") setPhase(ctx, "rollback");
    remaining.push(...(await rollbackStep(ctx)));
  }
  if (aborted && halted)
    aborted = { reason: halted.reason, by: `gameday halt (${halted.by}@${halted.host})` };
  const ran = steadyBefore?.every((s) => s.ok) && !error && !remaining.length;
  try {
    if (ran && !aborted) {
      setPhase(ctx, "recovery");
      recovery = await steadyStateRecovery(
        ctx,
        (ctx.timeline.rollbackEnd ?? Date.now()) + spec.recovery.within,
      );
    }
  } catch (err) {
    error = { message: (err as Error).message, exitCode: ExitCode.error };
    journal.write("error", { message: error.message });
  } finally {
    await ctx.load?.stop();
    await lock.release();
  }
  const expectations: ExpectationResult[] = ran
    ? annotateMonitoringGaps(
        ctx.evaluators.map((e) => e.finish(ctx.timeline)),
        spec.expect,
      )
    : [];
  for (const e of expectations) journal.write("expectation", { ...e, samples: undefined });
  const decided = decideVerdict({ error, remaining, steadyBefore, aborted, expectations, recovery });
  setPhase(ctx, "done");
  const total = ctx.load?.stats.counts({ start: 0, end: Date.now() });
  const result: RunResult = {
    runId,
    experiment: name,
    ...parameters,
    description: experiment.metadata.description,
    file: req.file,
    target: req.targetName,
    gameDay: req.gameDay,
    ...decided,
    startedAt: ctx.startedAt,
    endedAt: Date.now(),
    plans,
    steadyStateBefore: steadyBefore ?? [],
    expectations,
    recovery: recovery ?? [],
    timeline: ctx.timeline,
    remaining,
    load: total ? { requests: total.requests, errors: total.errors } : undefined,
    artifactsDir,
    journalPath: journal.path,
  };
  journal.write("run.finished", {
    verdict: result.verdict,
    exitCode: result.exitCode,
    reason: result.reason,
  });
  stopWatching();
  stopHaltWatch?.();
  ctx.samples?.close();
  journal.close();
  writeFileSync(join(artifactsDir, "run.json"), `${redact(JSON.stringify(result, null, 2))}\n`);
  return result;
}
