import type { SteadyStateCheck } from "../../experiment/schema.js";
import type { ObservedSample, ResolvedThreshold } from "../../interfaces/expectation.js";
import type { Probe } from "../../interfaces/metric-source.js";
import { createProbe } from "../../probes/probe-factory.js";
import { Comparison, describeRange, median } from "../expectations/comparator.js";
import { baselineDuration } from "../planned-duration.js";
import { type RunContext, sleepUntil, snapshot } from "../run-context.js";
import { observedProbes } from "../samples/series-of.js";
import { tickExpectations } from "./tick-expectations.js";

export interface SteadyStateResult {
  name: string;
  ok: boolean;
  summary: string;
  /** The comparator as resolved (a relative one: its baseline from the steady state before). */
  threshold?: ResolvedThreshold | undefined;
  samples: ObservedSample[];
}

interface Tracked {
  check: SteadyStateCheck;
  probe: Probe;
  comparison: Comparison;
  samples: ObservedSample[];
}

async function sampleAll(
  ctx: RunContext,
  tracked: Tracked[],
  windowStart: number,
  now: number,
): Promise<void> {
  for (const t of tracked) {
    // A relative check's baseline is one value per interval (see WindowExpectation.sampleBaseline).
    const reference = t.comparison.relative && t.comparison.baseline === undefined;
    const start = reference ? (t.samples.at(-1)?.t ?? windowStart) : windowStart;
    const value = await t.probe.sample({ start, end: now });
    // Before any fault a relative check has no baseline yet: its samples are the baseline.
    t.samples.push({ t: now, value, ok: value !== undefined && (reference || t.comparison.holds(value)) });
  }
  await tickExpectations(ctx, now);
  ctx.onProgress?.(snapshot(ctx));
}

const definedValues = (t: Tracked) =>
  t.samples.filter((s) => s.value !== undefined).map((s) => s.value as number);

function summarise(t: Tracked, ok: boolean, note = ""): SteadyStateResult {
  const c = t.comparison;
  const values = definedValues(t);
  const seen = values.length ? describeRange(c, values) : "no data";
  return {
    name: t.check.name,
    ok,
    summary: `${t.probe.description} ${c.describe()}: ${ok ? "held" : "did not hold"} (${seen})${note}`,
    threshold: c.resolved(),
    samples: t.samples,
  };
}

/**
 * The checks of a run, built once before the faults and sampled again in recovery: the same probes
 * (one series each in samples.jsonl) and the same comparisons, which keep the baseline they measured.
 */
const TRACKED = new WeakMap<RunContext, Tracked[]>();

function track(ctx: RunContext): Tracked[] {
  const tracked = ctx.experiment.spec.steadyState.map((check, i) => ({
    check,
    probe: createProbe(check, observedProbes(ctx, `steady:${i}`, "steady", check)),
    comparison: Comparison.of(check),
    samples: [] as ObservedSample[],
  }));
  TRACKED.set(ctx, tracked);
  return tracked;
}

/** The same checks for recovery, with fresh samples (the results before keep theirs). */
function retrack(ctx: RunContext): Tracked[] {
  const tracked = TRACKED.get(ctx) ?? track(ctx);
  for (const t of tracked) t.samples = [];
  return tracked;
}

/**
 * Before any fault, a relative check ("below: 2x baseline") is the reference itself: it holds
 * when it has data, and its median becomes the baseline the recovery is compared against.
 */
function judgeBefore(t: Tracked): SteadyStateResult {
  const defined = t.samples.filter((s) => s.value !== undefined);
  if (!t.comparison.relative) return summarise(t, defined.length > 0 && defined.every((s) => s.ok));
  const values = definedValues(t);
  t.comparison.setBaseline(median(values));
  const note = values.length
    ? `; baseline = median ${t.comparison.format(t.comparison.baseline)} of ${values.length} samples, compared in recovery`
    : "; no data for a baseline";
  return summarise(t, values.length > 0, note);
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
  const results = tracked.map(judgeBefore);
  ctx.journal.write("steady-state", { when: "before", results: results.map(({ samples, ...r }) => r) });
  return results;
}

/** After rollback: all checks must hold together at one sample within the recovery window. */
export async function steadyStateRecovery(ctx: RunContext, deadline: number): Promise<SteadyStateResult[]> {
  const tracked = retrack(ctx);
  const start = ctx.timeline.rollbackEnd ?? Date.now();
  ctx.timeline.recovery = { start };
  const interval = ctx.experiment.spec.sampleInterval;
  let recoveredAt: number | undefined;
  const extra = Math.max(
    0,
    // An alert's resolvesWithin counts from its fault's revert, which is at or before rollbackEnd.
    ...ctx.experiment.spec.expect.map(
      (e) => e.recoveredWithin ?? e.closedWithin ?? e.alert?.resolvesWithin ?? 0,
    ),
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
    if (recoveredAt !== undefined && ctx.evaluators.every((e) => e.done)) break;
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
