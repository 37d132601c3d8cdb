import type { LOAD_METRICS } from "./metric-schema.js";
import type { Amount, Threshold, WrittenUnit } from "./threshold.js";

/**
 * What a metric measures decides how its thresholds may be written and what a number means.
 * Numbers keep the meaning they always had (load latencies in ms), so old files stay valid.
 */
export type Quantity = "latency" | "ratio" | "rate" | "count" | "status" | "prometheus" | "factor";

interface QuantityRule {
  /** The unit a bare number is in, as the README table and reports show it. */
  unit: string;
  accepts: readonly WrittenUnit[];
  /** Multiplies a duration (held in ms) into this quantity's unit. */
  msScale?: number;
  /** Whether `3x baseline` is meaningful for it. */
  relative: boolean;
  /** A short suffix for values in reports ("312 ms"). */
  suffix: string;
}

export const QUANTITIES: Record<Quantity, QuantityRule> = {
  latency: {
    unit: "milliseconds",
    accepts: ["number", "duration"],
    msScale: 1,
    relative: true,
    suffix: " ms",
  },
  ratio: { unit: "a ratio from 0 to 1", accepts: ["number", "percent"], relative: true, suffix: "" },
  rate: { unit: "requests per second", accepts: ["number"], relative: true, suffix: " req/s" },
  count: { unit: "requests", accepts: ["number"], relative: true, suffix: "" },
  status: {
    unit: "an HTTP status code (0 when unreachable)",
    accepts: ["number"],
    relative: false,
    suffix: "",
  },
  // Prometheus' base unit of time is the second (`*_seconds`): a duration is converted to seconds.
  prometheus: {
    unit: "the query's own unit; a duration is converted to seconds",
    accepts: ["number", "duration", "percent"],
    msScale: 1 / 1000,
    relative: true,
    suffix: "",
  },
  factor: { unit: "a factor (1 = as in the baseline)", accepts: ["number"], relative: false, suffix: "x" },
};

type LoadMetric = (typeof LOAD_METRICS)[number];

export const LOAD_METRIC_QUANTITY: Record<LoadMetric, Quantity> = {
  errorRatio: "ratio",
  successRatio: "ratio",
  p50: "latency",
  p95: "latency",
  p99: "latency",
  throughput: "rate",
  requests: "count",
};

export interface MetricFieldsLike {
  source?: unknown;
  metric?: unknown;
  promql?: unknown;
  scrape?: unknown;
  http?: unknown;
  check?: unknown;
}

/** The quantity of a check, or undefined when its metric fields are themselves invalid. */
export function quantityOf(v: MetricFieldsLike): Quantity | undefined {
  if (v.check === "retryAmplification") return "factor";
  if (v.source === "load" && typeof v.metric === "string")
    return LOAD_METRIC_QUANTITY[v.metric as LoadMetric] as Quantity | undefined;
  if (v.promql !== undefined || v.scrape !== undefined) return "prometheus";
  if (v.http !== undefined) return "status";
  return undefined;
}

const WRITTEN_AS: Record<WrittenUnit, string> = {
  number: "the number",
  duration: "the duration",
  percent: "the percentage",
};

const EXAMPLES: Record<Quantity, string> = {
  latency: 'a duration such as "600ms" or "1.5s", or a number of milliseconds',
  ratio: 'a number from 0 to 1 such as 0.01, or a percentage such as "1%"',
  rate: "a number of requests per second",
  count: "a number of requests",
  status: "an HTTP status code such as 200",
  prometheus:
    'a number in the query\'s unit, a percentage ("1%" = 0.01) or a duration ("600ms" = 0.6 seconds)',
  factor: "a factor such as 1.5",
};

/** Converts an amount into the quantity's unit; the written unit must be one it accepts. */
export function amountIn(a: Amount, q: Quantity): number {
  return a.unit === "duration" ? a.value * (QUANTITIES[q].msScale ?? 1) : a.value;
}

/**
 * Why a threshold does not fit its metric (for a located validation error), or undefined.
 * `allowRelative` is false where no baseline exists (abort conditions).
 */
export function thresholdProblem(
  t: Threshold,
  q: Quantity,
  subject: string,
  allowRelative: boolean,
): string | undefined {
  const rule = QUANTITIES[q];
  if (t.kind === "relative") {
    if (q === "factor")
      return `${subject} is already relative to the baseline: expected ${EXAMPLES.factor}, found "${t.text}"`;
    if (!rule.relative)
      return `expected ${EXAMPLES[q]} for ${subject} (a baseline-relative threshold means nothing for it), found "${t.text}"`;
    if (!allowRelative)
      return `expected an absolute threshold (${EXAMPLES[q]}), found "${t.text}": baseline-relative thresholds are for expect and steadyState, which have a baseline`;
    if (t.offset && !rule.accepts.includes(t.offset.unit))
      return `expected the offset of "${t.text}" in ${rule.unit} for ${subject} (${EXAMPLES[q]}), found ${WRITTEN_AS[t.offset.unit]} "${t.offset.text}"`;
    return undefined;
  }
  if (!rule.accepts.includes(t.amount.unit))
    return `expected ${EXAMPLES[q]} for ${subject} (${rule.unit}), found ${WRITTEN_AS[t.amount.unit]} "${t.amount.text}"`;
  return undefined;
}

/** How a metric reads in messages: "load errorRatio", "promql", "retryAmplification". */
export function subjectOf(v: MetricFieldsLike): string {
  if (v.check === "retryAmplification") return "check: retryAmplification";
  if (v.source === "load") return `load ${String(v.metric)}`;
  if (v.promql !== undefined) return "a promql value";
  if (v.scrape !== undefined) return "a scraped value";
  return "an http status";
}
