import { join } from "node:path";
import type { ResolvedInput } from "../cli/inputs.js";
import { ExitCode, PreflightError } from "../errors/gameday-error.js";
import { ConfigInjector, type PlannedChange } from "../faults/config/config-injector.js";
import { ownerTag } from "../interfaces/injector.js";
import { Journal } from "../run/journal.js";
import { newRunId } from "../run/run-id.js";
import { sandboxDown } from "../sandbox/sandbox-down.js";
import { sandboxUp } from "../sandbox/sandbox-up.js";
import { loadTargets } from "../targets/targets-loader.js";
import type { Target } from "../targets/targets-schema.js";
import { runGameDayPass } from "./game-day-pass.js";
import { baseSandbox, planInstance } from "./isolated-sandbox.js";
import {
  buildMatrix,
  type KillMatrix,
  type MutantOutcome,
  matrixRows,
  mutantOutcome,
} from "./kill-matrix.js";
import type { PlannedMutant, ProvePlan } from "./prove-plan.js";

export interface ProveOptions {
  stateDir: string;
  fullMatrix: boolean;
  /** Mutants of the process sandbox at once, each in its own sandbox instance; 1 = serial on the running one. */
  parallel: number;
  /** Port distance between isolated instances (instance k runs at the sandbox's offset + k * portStep). */
  portStep: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

/** Where a mutant's game day runs: the system as the targets file names it, or an isolated sandbox instance. */
interface Slot {
  name: string;
  inputs: ResolvedInput[];
  target?: Target | undefined;
  lockName?: ((t: string) => string) | undefined;
}

interface Ctx {
  plan: ProvePlan;
  opts: ProveOptions;
  proveId: string;
  journal: Journal;
  changes: Map<string, PlannedChange>;
  /** What may remain applied after a failed revert: reported loudly, exit 5. */
  remaining: string[];
}

/** Preflight: nothing of an earlier prove is still applied, and every mutant resolves against its live target. */
async function preflight(ctx: Ctx): Promise<void> {
  const byTarget = new Map<string, Target>(ctx.plan.mutants.map((m) => [m.targetName, m.target]));
  for (const [name, target] of byTarget) {
    const left = await new ConfigInjector(target).findOrphans();
    if (left.length)
      throw new PreflightError(
        `target ${name} still has configuration changes applied by gameday: ${left.map((o) => `${o.description} (${o.ownerTag})`).join("; ")}; run gameday recover`,
      );
  }
  for (const pm of ctx.plan.mutants) {
    try {
      ctx.changes.set(pm.mutant.name, await new ConfigInjector(pm.target).planChange(pm.mutant));
    } catch (err) {
      if (err instanceof PreflightError)
        throw new PreflightError(`mutant ${pm.mutant.name}: ${err.message}`, { cause: err });
      throw err;
    }
  }
}

/** Journal first, apply and verify, run the game day, then revert and verify, whatever happened in between. */
async function tryMutant(
  ctx: Ctx,
  pm: PlannedMutant,
  slot: Slot,
  rows: ReturnType<typeof matrixRows>,
): Promise<MutantOutcome> {
  const { mutant } = pm;
  const started = Date.now();
  const tag = ownerTag(ctx.proveId, mutant.name, ctx.plan.installation);
  const planned = ctx.changes.get(mutant.name) as PlannedChange;
  const injector = new ConfigInjector(slot.target ?? pm.target);
  const base = { fault: mutant.name, family: "config", ownerTag: tag, slot: slot.name };
  ctx.journal.write("fault.injecting", { ...base, action: planned.action, targets: planned.targets });
  let active: Awaited<ReturnType<ConfigInjector["apply"]>>;
  try {
    active = await injector.apply(planned, {
      runId: ctx.proveId,
      experiment: ctx.plan.gameDay.metadata.name,
      installation: ctx.plan.installation,
    });
  } catch (err) {
    ctx.journal.write("error", { ...base, message: (err as Error).message });
    return {
      ...outcomeBase(mutant, started),
      status: "error",
      reason: (err as Error).message,
      cells: {},
      killedBy: [],
    };
  }
  ctx.journal.write("fault.injected", { ...base, description: active.description });
  ctx.opts.log(`mutant ${mutant.name} (${slot.name}): ${active.description}`);
  let runs: Awaited<ReturnType<typeof runGameDayPass>> = [];
  let revertError: string | undefined;
  try {
    runs = await runGameDayPass(slot.inputs, {
      stateDir: ctx.opts.stateDir,
      signal: ctx.opts.signal,
      stopEarly: !ctx.opts.fullMatrix,
      runAll: ctx.opts.fullMatrix,
      continueOnFailure: ctx.plan.gameDay.spec.continueOnFailure,
      lockName: slot.lockName,
      log: ctx.opts.log,
      label: mutant.name,
    });
  } finally {
    ctx.journal.write("fault.reverting", base);
    try {
      await active.revert();
      await active.verifyReverted();
      ctx.journal.write("fault.reverted", base);
    } catch (err) {
      revertError = `${active.description} (${tag}) NOT VERIFIED REVERTED: ${(err as Error).message}`;
      ctx.remaining.push(revertError);
      ctx.journal.write("fault.revert-failed", { ...base, message: (err as Error).message });
    }
  }
  return mutantOutcome(mutant, rows, runs, Date.now() - started, revertError);
}

const outcomeBase = (m: PlannedMutant["mutant"], started: number) => ({
  mutant: m.name,
  description: m.description,
  durationMs: Date.now() - started,
  runIds: [] as string[],
});

/** Isolated sandbox instances for --parallel: only for mutants that all switch the one process sandbox. */
async function isolatedSlots(ctx: Ctx, count: number): Promise<{ slots: Slot[]; stop: () => Promise<void> }> {
  const { plan, opts } = ctx;
  const names = new Set(plan.mutants.map((m) => m.targetName));
  if (names.size !== 1 || plan.mutants.some((m) => !m.mutant.sandbox))
    throw new PreflightError(
      "--parallel runs sandbox-switch mutants of one process sandbox; these mutants are not all that",
    );
  const first = plan.mutants[0] as PlannedMutant;
  const base = await baseSandbox(first.target);
  const targets = (await loadTargets(plan.targetsFile)).targets;
  const dir = join(opts.stateDir, "prove", ctx.proveId);
  const slots: Slot[] = [];
  const started: string[] = [];
  const stop = async () => {
    for (const stateDir of started)
      await sandboxDown({ stateDir }).catch((err: unknown) =>
        opts.log(`could not stop ${stateDir}: ${(err as Error).message}`),
      );
  };
  try {
    for (let k = 1; k < count; k++) {
      const inst = await planInstance(
        k,
        base,
        opts.portStep,
        first.targetName,
        first.target,
        targets,
        plan.inputs,
        dir,
      );
      opts.log(`isolated sandbox ${k}: ${inst.stateDir} (port offset ${inst.portOffset})`);
      started.push(inst.stateDir);
      await sandboxUp({ stateDir: inst.stateDir, portOffset: inst.portOffset, breaks: [] });
      slots.push({
        name: `instance ${k}`,
        inputs: inst.inputs,
        target: inst.target,
        lockName: (t) => `${t}@${k}`,
      });
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { slots, stop };
}

/**
 * `gameday prove`: the game day on the healthy system, then once per mutant (each applied,
 * verified, and reverted before the next), into a kill matrix. Serial by default; with
 * parallel > 1, sandbox mutants spread over isolated instances beside the running sandbox.
 */
export async function proveGameDay(
  plan: ProvePlan,
  opts: ProveOptions,
): Promise<KillMatrix & { remaining: string[] }> {
  const proveId = newRunId();
  const journal = new Journal(join(opts.stateDir, "prove", proveId), proveId);
  const ctx: Ctx = { plan, opts, proveId, journal, changes: new Map(), remaining: [] };
  const startedAt = Date.now();
  journal.write("run.started", {
    kind: "prove",
    gameDay: plan.gameDay.metadata.name,
    file: plan.file,
    pid: process.pid,
    mutants: plan.mutants.map((m) => m.mutant.name),
  });
  try {
    await preflight(ctx);
    journal.write("preflight.ok", {
      mutants: [...ctx.changes.values()].map((c) => ({
        mutant: c.fault,
        action: c.action,
        targets: c.targets,
      })),
    });
    opts.log(`healthy run of ${plan.gameDay.metadata.name}`);
    const healthyStart = Date.now();
    const healthy = await runGameDayPass(plan.inputs, {
      stateDir: opts.stateDir,
      signal: opts.signal,
      stopEarly: false,
      runAll: true,
      continueOnFailure: true,
      log: opts.log,
      label: "healthy",
    });
    const healthyMs = Date.now() - healthyStart;
    const results = healthy.map((r) => r.result);
    const rows = matrixRows(results);
    const outcomes: MutantOutcome[] = [];
    const healthyPassed =
      results.length === plan.inputs.length && results.every((r) => r.exitCode === ExitCode.passed);
    if (healthyPassed && !opts.signal.aborted && plan.mutants.length) {
      const main: Slot = { name: "main", inputs: plan.inputs };
      const extra =
        opts.parallel > 1
          ? await isolatedSlots(ctx, Math.min(opts.parallel, plan.mutants.length))
          : undefined;
      try {
        const queue = [...plan.mutants];
        const worker = async (slot: Slot) => {
          for (let pm = queue.shift(); pm && !opts.signal.aborted; pm = queue.shift())
            outcomes.push(await tryMutant(ctx, pm, slot, rows));
        };
        await Promise.all([main, ...(extra?.slots ?? [])].map(worker));
      } finally {
        await extra?.stop();
      }
      const order = plan.mutants.map((m) => m.mutant.name);
      outcomes.sort((a, b) => order.indexOf(a.mutant) - order.indexOf(b.mutant));
    }
    const matrix = buildMatrix({
      gameDay: plan.gameDay.metadata.name,
      file: plan.file,
      proveId,
      fullMatrix: opts.fullMatrix,
      healthy: results,
      healthyMs,
      mutants: outcomes,
      interrupted: opts.signal.aborted,
      startedAt,
    });
    const exitCode = ctx.remaining.length ? ExitCode.error : matrix.exitCode;
    journal.write("run.finished", {
      exitCode,
      score: matrix.score,
      survivors: matrix.survivors,
      remaining: ctx.remaining,
    });
    return { ...matrix, exitCode, remaining: ctx.remaining };
  } catch (err) {
    journal.write("error", { message: (err as Error).message });
    throw err;
  } finally {
    journal.close();
  }
}
