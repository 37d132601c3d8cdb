import { FaultChangedError } from "../../errors/gameday-error.js";
import type { AbortCondition } from "../../experiment/schema.js";
import type { FaultPresence } from "../../interfaces/injector.js";
import { createProbe } from "../../probes/probe-factory.js";
import { Comparison } from "../expectations/comparator.js";
import { type RunContext, sleepUntil, snapshot } from "../run-context.js";
import { observedProbes } from "../samples/series-of.js";
import { injectFault, revertFault } from "./fault-actions.js";
import { tickExpectations } from "./tick-expectations.js";

export interface MethodOutcome {
  aborted?: { reason: string; by: "condition" | "signal" };
  /** A fault of this run that someone else removed or changed: the run ends as an error. */
  changed?: FaultChangedError;
  revertErrors: string[];
}

/** One cheap read per active fault; the first one no longer in place ends the method. */
async function faultsInPlace(ctx: RunContext): Promise<FaultChangedError | undefined> {
  for (const [name, active] of ctx.active) {
    let presence: FaultPresence;
    try {
      presence = await active.stillInPlace();
    } catch (err) {
      // Could not look: not evidence of tampering; the next sample looks again, rollback verifies.
      ctx.journal.write("fault.check-failed", { fault: name, error: (err as Error).message });
      continue;
    }
    if (!presence.inPlace) {
      ctx.journal.write("fault.changed", { fault: name, ownerTag: active.ownerTag, why: presence.why });
      return new FaultChangedError(
        `fault "${name}" is no longer in place: ${presence.why}. Someone else removed or changed it during the method, ` +
          "so what was measured is not the effect of this fault: the run ends as an error, with no verdict on its expectations",
      );
    }
  }
  return undefined;
}

/** Tracks how long an abort condition has held without a break. */
function abortTracker(condition: AbortCondition, i: number, ctx: RunContext) {
  const probe = createProbe(condition, observedProbes(ctx, `abort:${i}`, "abort", condition));
  const comparison = Comparison.of(condition);
  let since: number | undefined;
  return {
    async check(windowStart: number, now: number): Promise<string | undefined> {
      const value = await probe.sample({ start: windowStart, end: now });
      if (value === undefined || !comparison.holds(value)) {
        since = undefined;
        return undefined;
      }
      since ??= now;
      if (now - since < condition.for) return undefined;
      return `${condition.name ?? probe.description}: ${probe.description} ${comparison.describe()} for ${now - since} ms (last ${comparison.format(value)})`;
    },
  };
}

/** Injects each fault at its offset, reverts it at its end, and samples expectations and abort conditions. */
export async function methodStep(ctx: RunContext): Promise<MethodOutcome> {
  const start = Date.now();
  ctx.timeline.method = { start };
  const interval = ctx.experiment.spec.sampleInterval;
  const schedule = ctx.experiment.spec.faults.map((spec) => ({
    spec,
    startAt: start + spec.at,
    endAt: start + spec.at + spec.for,
    state: "pending" as "pending" | "active" | "done",
  }));
  const aborts = ctx.experiment.spec.abortWhen.map((c, i) => abortTracker(c, i, ctx));
  const revertErrors: string[] = [];
  let nextSample = start;
  let outcome: MethodOutcome["aborted"];
  let changed: FaultChangedError | undefined;
  while (!outcome && !changed) {
    let now = Date.now();
    for (const s of schedule) {
      if (s.state === "pending" && now >= s.startAt) {
        s.state = "active";
        await injectFault(ctx, s.spec);
      }
      if (s.state === "active" && now >= s.endAt) {
        s.state = "done";
        const err = await revertFault(ctx, s.spec.name);
        if (err) revertErrors.push(err);
      }
    }
    if (schedule.every((s) => s.state === "done")) break;
    now = Date.now();
    if (now >= nextSample) {
      nextSample += interval;
      changed = await faultsInPlace(ctx);
      if (changed) break;
      const reasons = await Promise.all(aborts.map((a) => a.check(start, now)));
      const reason = reasons.find((r) => r !== undefined);
      if (reason) outcome = { reason, by: "condition" };
      await tickExpectations(ctx, now);
      ctx.onProgress?.(snapshot(ctx));
    }
    if (ctx.signal.aborted) outcome ??= { reason: String(ctx.signal.reason ?? "signal"), by: "signal" };
    if (outcome) break;
    const nextFault = Math.min(
      ...schedule.map((s) => (s.state === "pending" ? s.startAt : s.state === "active" ? s.endAt : Infinity)),
    );
    await sleepUntil(Math.min(nextSample, nextFault), ctx.signal);
  }
  if (outcome) ctx.journal.write("abort", outcome);
  ctx.timeline.method.end = Date.now();
  return { aborted: outcome, revertErrors, ...(changed ? { changed } : {}) };
}
