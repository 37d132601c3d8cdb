import { z } from "zod";
import { duration } from "./duration.js";

export const LOAD_METRICS = ["errorRatio", "successRatio", "p50", "p95", "p99", "throughput", "requests"] as const;

/** Where a number comes from: exactly one of source: load, promql, scrape or http. */
export const metricFields = {
  source: z.literal("load").optional(),
  metric: z.enum(LOAD_METRICS).optional(),
  promql: z.string().min(1).optional(),
  scrape: z
    .strictObject({
      target: z.string().min(1).describe("a scrape target named in the target environment, or a URL"),
      metric: z.string().min(1),
      labels: z.record(z.string(), z.string()).default({}),
      aggregate: z.enum(["sum", "max", "min", "avg"]).default("sum"),
    })
    .optional(),
  http: z
    .strictObject({ url: z.string().min(1), timeout: duration.default(2000) })
    .optional()
    .describe("value is the HTTP status code, 0 when unreachable"),
};

/** Exactly one comparator; equals uses a small tolerance so gauges compare safely. */
export const comparatorFields = {
  below: z.number().optional(),
  above: z.number().optional(),
  atMost: z.number().optional(),
  atLeast: z.number().optional(),
  equals: z.number().optional(),
};

export const COMPARATORS = Object.keys(comparatorFields) as (keyof typeof comparatorFields)[];
