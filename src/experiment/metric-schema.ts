import { z } from "zod";
import { duration } from "./duration.js";
import { threshold } from "./threshold.js";

export const LOAD_METRICS = [
  "errorRatio",
  "successRatio",
  "p50",
  "p95",
  "p99",
  "throughput",
  "requests",
] as const;

/** Where a number comes from: exactly one of source: load, promql, scrape or http. */
export const metricFields = {
  source: z
    .literal("load")
    .optional()
    .describe("load: a statistic of the built-in load generator (see metric)"),
  metric: z.enum(LOAD_METRICS).optional().describe("with source: load, which statistic"),
  promql: z
    .string()
    .min(1)
    .max(4096)
    .optional()
    .describe("a PromQL query on the target's Prometheus; its value is compared"),
  scrape: z
    .strictObject({
      target: z.string().min(1).describe("a scrape target named in the target environment, or a URL"),
      metric: z.string().regex(/^[A-Za-z_:][A-Za-z0-9_:]{0,199}$/, { error: "expected a metric name" }),
      labels: z.record(z.string().max(128), z.string().max(256)).default({}),
      aggregate: z.enum(["sum", "max", "min", "avg"]).default("sum"),
    })
    .optional()
    .describe("a metric read straight from a service's /metrics endpoint"),
  http: z
    .strictObject({ url: z.string().min(1).max(2048), timeout: duration.default(2000) })
    .optional()
    .describe("value is the HTTP status code, 0 when unreachable"),
};

const described = (holdsWhen: string) =>
  threshold
    .optional()
    .describe(
      `holds when the value is ${holdsWhen}: a number in the metric's unit, a duration (600ms) for latencies, a percentage (1%) for ratios, or relative to the baseline (3x baseline, baseline + 50ms)`,
    );

/** Exactly one comparator; equals uses a small tolerance so gauges compare safely. */
export const comparatorFields = {
  below: described("< this"),
  above: described("> this"),
  atMost: described("<= this"),
  atLeast: described(">= this"),
  equals: described("equal to this (with a small tolerance)"),
};

export const COMPARATORS = Object.keys(comparatorFields) as (keyof typeof comparatorFields)[];
