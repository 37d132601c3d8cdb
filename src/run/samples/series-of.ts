import type { ProbeContext } from "../../probes/probe-factory.js";
import type { RunContext } from "../run-context.js";
import type { SeriesLine } from "./samples-schema.js";

const OPS = ["below", "above", "atMost", "atLeast", "equals"] as const;

/** The chart-relevant fields of a steady-state check, expectation or abort condition. */
export function seriesOf(
  id: string,
  group: SeriesLine["group"],
  spec: Record<string, unknown> & { name?: string | undefined },
): Omit<SeriesLine, "k"> {
  const op = OPS.find((o) => typeof spec[o] === "number");
  const num = (k: string) => (typeof spec[k] === "number" ? (spec[k] as number) : undefined);
  const str = (k: string) => (typeof spec[k] === "string" ? (spec[k] as string) : undefined);
  const def: Omit<SeriesLine, "k"> = { id, group, label: spec.name ?? id };
  if (op) {
    def.op = op;
    def.threshold = spec[op] as number;
  }
  const fields = {
    check: str("check"),
    during: str("during"),
    at: str("at"),
    within: num("within"),
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
