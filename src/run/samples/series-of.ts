import { COMPARATORS } from "../../experiment/metric-schema.js";
import type { ProbeContext } from "../../probes/probe-factory.js";
import { type ComparatorFields, Comparison } from "../expectations/comparator.js";
import type { RunContext } from "../run-context.js";
import type { SeriesLine } from "./samples-schema.js";

/** The chart-relevant fields of a steady-state check, expectation or abort condition. */
export function seriesOf(
  id: string,
  group: SeriesLine["group"],
  spec: Record<string, unknown> & { name?: string | undefined },
): Omit<SeriesLine, "k"> {
  const num = (k: string) => (typeof spec[k] === "number" ? (spec[k] as number) : undefined);
  const str = (k: string) => (typeof spec[k] === "string" ? (spec[k] as string) : undefined);
  const def: Omit<SeriesLine, "k"> = { id, group, label: spec.name ?? id };
  // Thresholds are parsed (units, "3x baseline"): the chart takes the operator and, when it is
  // absolute, the limit in the metric's unit; a relative one is resolved by the run (run-view).
  if (COMPARATORS.some((o) => spec[o] !== undefined)) {
    const c = Comparison.of(spec as ComparatorFields & Parameters<typeof Comparison.of>[0]);
    def.op = c.operator;
    const limit = c.limit();
    if (limit !== undefined) def.threshold = limit;
  }
  const alert =
    typeof spec.alert === "object" && spec.alert !== null ? (spec.alert as Record<string, unknown>) : {};
  const fromAlert = (k: string) => (typeof alert[k] === "number" ? (alert[k] as number) : undefined);
  const fields = {
    check: str("check"),
    during: str("during"),
    at: str("at"),
    within: num("within") ?? fromAlert("firesWithin"),
    // An alert's chart outlines its firing deadline (its resolve window counts from the revert).
    recoveredWithin: num("recoveredWithin") ?? num("closedWithin"),
  };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) Object.assign(def, { [k]: v });
  return def;
}

/** The run's probe context with every reading of this series written to samples.jsonl. */
export function observedProbes(
  ctx: RunContext,
  id: string,
  group: SeriesLine["group"],
  spec: Record<string, unknown> & { name?: string | undefined },
): ProbeContext {
  const log = ctx.samples;
  if (!log) return ctx.probes;
  log.series(seriesOf(id, group, spec));
  return { ...ctx.probes, observe: (t, v) => log.sample(id, t, v) };
}
