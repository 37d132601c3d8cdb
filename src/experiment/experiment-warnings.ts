import type { InputIssue } from "../errors/gameday-error.js";
import { formatDuration } from "./duration.js";
import { COMPARATORS, type LOAD_METRICS } from "./metric-schema.js";
import type { Experiment } from "./schema.js";
import type { Threshold } from "./threshold.js";
import { sortIssues } from "./validate-source.js";
import { formatPath, locateValue } from "./yaml-locator.js";
import type { YamlSource } from "./yaml-source.js";

type LoadMetric = (typeof LOAD_METRICS)[number];
type Path = (string | number)[];
interface Warning {
  path: Path;
  message: string;
}

/** What each load statistic can show: a ratio lies in 0..1; latencies, rates and counts are never negative. */
const RANGES: Record<LoadMetric, { min: number; max?: number; unit: string }> = {
  errorRatio: { min: 0, max: 1, unit: "a ratio from 0 to 1" },
  successRatio: { min: 0, max: 1, unit: "a ratio from 0 to 1" },
  p50: { min: 0, unit: "a latency in milliseconds, never negative" },
  p95: { min: 0, unit: "a latency in milliseconds, never negative" },
  p99: { min: 0, unit: "a latency in milliseconds, never negative" },
  throughput: { min: 0, unit: "requests per second, never negative" },
  requests: { min: 0, unit: "a count, never negative" },
};

/** Whether `comparator value` can ever be true, or ever be false, for values in [min, max]. */
function verdictOf(comparator: string, value: number, min: number, max = Number.POSITIVE_INFINITY) {
  switch (comparator) {
    case "below":
      return value <= min ? "never holds" : value > max ? "always holds" : undefined;
    case "atMost":
      return value < min ? "never holds" : value >= max ? "always holds" : undefined;
    case "above":
      return value >= max ? "never holds" : value < min ? "always holds" : undefined;
    case "atLeast":
      return value > max ? "never holds" : value <= min ? "always holds" : undefined;
    case "equals":
      return value < min || value > max ? "never holds" : undefined;
  }
  return undefined;
}

/** The threshold in the metric's unit when it is absolute (parsed or as written); a relative one has none yet. */
function absoluteValue(raw: unknown): number | undefined {
  if (typeof raw === "number") return raw;
  const t = raw as Threshold | undefined;
  return t && typeof t === "object" && t.kind === "absolute" ? t.amount.value : undefined;
}

/** A threshold outside anything the load statistic could show. */
function thresholdWarnings(item: Record<string, unknown>, path: Path): Warning[] {
  if (item.source !== "load" || typeof item.metric !== "string" || !(item.metric in RANGES)) return [];
  const range = RANGES[item.metric as LoadMetric];
  const out: Warning[] = [];
  for (const comparator of COMPARATORS) {
    const value = absoluteValue(item[comparator]);
    if (value === undefined) continue;
    const verdict = verdictOf(comparator, value, range.min, range.max);
    if (!verdict) continue;
    const hint =
      range.max === 1 && value > 1 && value <= 100 ? ` (did you mean ${value / 100}, i.e. ${value}%?)` : "";
    out.push({
      path: [...path, comparator],
      message: `${item.metric} is ${range.unit}: ${comparator} ${value} ${verdict}${hint}`,
    });
  }
  return out;
}

/**
 * Legal but suspicious: files that validate, yet probably do not say what their author meant.
 * Warnings never fail validation; they name the field and why it looks wrong.
 */
export function experimentWarnings(experiment: Experiment): Warning[] {
  const { spec } = experiment;
  const out: Warning[] = [];
  const faults = new Map(spec.faults.map((f) => [f.name, f]));
  for (const [i, e] of spec.expect.entries()) {
    const fault = e.during ? faults.get(e.during) : undefined;
    if (fault && e.within !== undefined && e.within > fault.for)
      out.push({
        path: ["spec", "expect", i, "within"],
        message: `within ${formatDuration(e.within)} is longer than fault ${fault.name} (${formatDuration(fault.for)}): the expectation may be met only after the fault ended`,
      });
    out.push(...thresholdWarnings(e as Record<string, unknown>, ["spec", "expect", i]));
  }
  for (const [list, items] of [
    ["steadyState", spec.steadyState],
    ["abortWhen", spec.abortWhen],
  ] as const)
    for (const [i, item] of items.entries())
      out.push(...thresholdWarnings(item as Record<string, unknown>, ["spec", list, i]));
  return out;
}

/** The warnings located in the file, like errors. */
export function locatedWarnings(experiment: Experiment, source: YamlSource): InputIssue[] {
  return sortIssues(
    experimentWarnings(experiment).map((w) => {
      const { line, column } = locateValue(source, w.path);
      return { file: source.file, line, column, path: formatPath(w.path), message: w.message };
    }),
  );
}
