import type { SteadyStateCheck } from "../../experiment/schema.js";
import type { ObservedSample } from "../../interfaces/expectation.js";
import type { Probe } from "../../interfaces/metric-source.js";
import { createProbe } from "../../probes/probe-factory.js";
import { describeComparator, formatValue, holds } from "../expectations/comparator.js";
import { baselineDuration } from "../planned-duration.js";
import { type RunContext, sleepUntil, snapshot } from "../run-context.js";
import { observedProbes } from "../samples/series-of.js";
import { tickExpectations } from "./tick-expectations.js";

export interface SteadyStateResult {
  name: string;
  ok: boolean;
  summary: string;
  samples: ObservedSample[];
}

interface Tracked {
  check: SteadyStateCheck;
  probe: Probe;
  samples: ObservedSample[];
}

async function sampleAll(
  ctx: RunContext,
  tracked: Tracked[],
  windowStart: number,
  now: number,
): Promise<void> {
  for (const t of tracked) {
    const value = await t.probe.sample({ start: windowStart, end: now });
    t.samples.push({ t: now, value, ok: value !== undefined && holds(t.check, value) });
  }
  await tickExpectations(ctx, now);
  ctx.onProgress?.(snapshot(ctx));
}

function summarise(t: Tracked, ok: boolean): SteadyStateResult {
  const values = t.samples.filter((s) => s.value !== undefined).map((s) => s.value as number);
  const seen = values.length
    ? `min ${formatValue(Math.min(...values))}, max ${formatValue(Math.max(...values))}, last ${formatValue(values.at(-1))}`
    : "no data";
  return {
    name: t.check.name,
    ok,
    summary: `${t.probe.description} ${describeComparator(t.check)}: ${ok ? "held" : "did not hold"} (${seen})`,
    samples: t.samples,
  };
}

function track(ctx: RunContext): Tracked[] {
  return ctx.experiment.spec.steadyState.map((check, i) => ({
    check,
    probe: createProbe(check, observedProbes(ctx, `steady:${i}`, "steady", check)),
    samples: [],
  }));
}

/** Before any fault: every sample over the longest `over` must hold (and there must be data). */
export async function steadyStateBefore(ctx: RunContext): Promise<SteadyStateResult[]> {
  const tracked = track(ctx);
  const start = Date.now();
  ctx.timeline.baseline = { start };
  const interval = ctx.experiment.spec.sampleInterval;
  const span = baselineDuration(ctx.experiment);
  for (let next = start + interval; ; next += interval) {
    await sleepUntil(next, ctx.signal);
    if (ctx.signal.aborted) break;
    await sampleAll(ctx, tracked, start, Date.now());
    if (Date.now() - start >= span) break;
  }
  ctx.timeline.baseline.end = Date.now();
  const results = tracked.map((t) => {
    const defined = t.samples.filter((s) => s.value !== undefined);
    return summarise(t, defined.length > 0 && defined.every((s) => s.ok));
  });
  ctx.journal.write("steady-state", { when: "before", results: results.map(({ samples, ...r }) => r) });
  return results;
}

/** After rollback: all checks must hold together at one sample within the recovery window. */
export async function steadyStateRecovery(ctx: RunContext, deadline: number): Promise<SteadyStateResult[]> {
  const tracked = track(ctx);
  const start = ctx.timeline.rollbackEnd ?? Date.now();
  ctx.timeline.recovery = { start };
  const interval = ctx.experiment.spec.sampleInterval;
  let recoveredAt: number | undefined;
  const extra = Math.max(
    0,
    ...ctx.experiment.spec.expect.map((e) => e.recoveredWithin ?? e.closedWithin ?? 0),
  );
  const hardEnd = Math.max(deadline, start + extra);
  for (let next = start + interval; next <= hardEnd; next += interval) {
    await sleepUntil(next, ctx.signal);
    if (ctx.signal.aborted) break;
    const now = Date.now();
    if (recoveredAt === undefined && now <= deadline) {
      await sampleAll(ctx, tracked, start, now);
      if (tracked.every((t) => t.samples.at(-1)?.ok)) recoveredAt = now;
    } else {
      await tickExpectations(ctx, now);
      ctx.onProgress?.(snapshot(ctx));
    }
    if (recoveredAt !== undefined && ctx.evaluators.every((e) => e.settled)) break;
  }
  ctx.timeline.recovery.end = Date.now();
  const results = tracked.map((t) => summarise(t, recoveredAt !== undefined));
  ctx.journal.write("steady-state", {
    when: "recovery",
    recoveredAfterMs: recoveredAt === undefined ? null : recoveredAt - start,
    results: results.map(({ samples, ...r }) => r),
  });
  return results;
}
