import { z } from "zod";
import { duration, positiveDuration } from "./duration.js";
import { quantityOf, subjectOf, thresholdProblem } from "./metric-quantity.js";
import { COMPARATORS, comparatorFields, metricFields } from "./metric-schema.js";
import { onObjects, type RefineCtx, report } from "./refine-helpers.js";
import type { Threshold } from "./threshold.js";

const METRIC_KEYS = ["source", "promql", "scrape", "http"] as const;

/** A parsed threshold (an unparsed one already has its own issue). */
const isThreshold = (v: unknown): v is Threshold =>
  typeof v === "object" && v !== null && "kind" in v && "text" in v;

/** The comparator's value must fit what the metric measures: no `600ms` on a ratio. */
function checkThresholdUnit(value: Record<string, unknown>, ctx: RefineCtx, allowRelative: boolean): void {
  const quantity = quantityOf(value);
  if (quantity === undefined) return;
  for (const key of COMPARATORS) {
    const t = value[key];
    if (!isThreshold(t)) continue;
    const problem = thresholdProblem(t, quantity, subjectOf(value), allowRelative);
    if (problem) report(ctx, { path: [key], message: problem });
  }
}

/** Shared rule for anything that reads a number and compares it. */
function checkMetricAndComparator(
  value: Record<string, unknown>,
  ctx: RefineCtx,
  allowRelative = true,
): void {
  const sources = METRIC_KEYS.filter((k) => value[k] !== undefined);
  if (sources.length !== 1) {
    report(ctx, {
      path: sources.length ? [sources[1] ?? sources[0] ?? "source"] : [],
      message: `expected exactly one of source: load, promql, scrape or http (found ${sources.length ? sources.join(", ") : "none"})`,
    });
  }
  if (value.source === "load" && value.metric === undefined) {
    report(ctx, {
      path: ["metric"],
      message: "expected metric (errorRatio, p95, throughput, ...) with source: load",
    });
  }
  if (value.metric !== undefined && value.source !== "load") {
    report(ctx, {
      path: ["metric"],
      message: `expected source: load with metric (a load-generator statistic), found ${value.source === undefined ? "no source" : `source: ${String(value.source)}`}`,
    });
  }
  const comparators = COMPARATORS.filter((k) => value[k] !== undefined);
  if (comparators.length !== 1) {
    report(ctx, {
      path: comparators.length > 1 ? [comparators[1] as string] : [],
      message: `expected exactly one of ${COMPARATORS.join(", ")} (found ${comparators.length ? comparators.join(", ") : "none"})`,
    });
  }
  checkThresholdUnit(value, ctx, allowRelative);
}

/** service and dependency become PromQL label values: names only, never query text. */
const labelValue = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, {
  error: "expected a service or dependency name: letters, digits, _ . : - (it becomes a PromQL label value)",
});

/** The metric sources of a target an alert may be read from: its Prometheus (the alerts API). */
export const ALERT_SOURCES = ["prometheus"] as const;

/**
 * "This fault pages someone": a named alert fires within a time of the fault's start and resolves
 * within a time after its verified revert, read from the alerts API of the target's Prometheus.
 * The name and label values become PromQL and API filters: names only, never query text.
 */
export const alertSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z_:][A-Za-z0-9_:]{0,199}$/, {
        error: "expected an alert name (letters, digits, _ and :)",
      })
      .describe("the alert rule's name, e.g. OrdersBreakerOpen"),
    labels: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, { error: "expected a label name" }),
        z.string().max(256),
      )
      .refine((l) => Object.keys(l).length <= 20, { error: "expected at most 20 labels" })
      .default({})
      .describe("the alert counts only with these label values (e.g. service: orders)"),
    firesWithin: positiveDuration.describe("it must be firing within this time of the fault's start"),
    resolvesWithin: positiveDuration.describe(
      "it must stop firing within this time of the fault's verified revert",
    ),
    source: z
      .string()
      .min(1)
      .max(63)
      .default("prometheus")
      .describe(`the target's metric source with an alerts API: ${ALERT_SOURCES.join(", ")}`),
  })
  .describe("an alert that must fire during a fault and resolve after it");

/** Fields an alert expectation cannot have: it has its own source, comparator and time semantics. */
const NOT_WITH_ALERT = [
  ...METRIC_KEYS,
  "metric",
  ...COMPARATORS,
  "check",
  "within",
  "at",
  "recoveredWithin",
  "closedWithin",
  "service",
  "dependency",
] as const;

function checkAlert(v: Record<string, unknown>, ctx: RefineCtx): void {
  for (const key of NOT_WITH_ALERT)
    if (v[key] !== undefined)
      report(ctx, {
        path: [key],
        message: `an alert expectation has its own source and time semantics (firesWithin, resolvesWithin); ${key} does not apply`,
      });
  if (v.during === undefined)
    report(ctx, {
      path: ["during"],
      message: "expected during: <fault name> with alert (the fault it must detect)",
    });
}

const name = z.string().min(1).max(120).describe("a short human-readable name, shown in the report");

export const steadyStateSchema = z
  .strictObject({
    name,
    ...metricFields,
    ...comparatorFields,
    over: positiveDuration.default(5000).describe("the window the comparison must hold over"),
  })
  .superRefine((v, ctx) => checkMetricAndComparator(v, ctx), onObjects)
  .describe("a check that must hold before any fault is injected, and again after rollback");

export const abortConditionSchema = z
  .strictObject({
    name: name.optional(),
    ...metricFields,
    ...comparatorFields,
    for: duration.default(0).describe("how long the condition must hold before the run aborts"),
  })
  // Abort conditions are sampled from the method's start only: they have no baseline.
  .superRefine((v, ctx) => checkMetricAndComparator(v, ctx, false), onObjects)
  .describe("when this holds, the run stops, rolls back and exits 3");

export const CHECKS = ["breakerCycle", "retryAmplification"] as const;

export const expectationSchema = z
  .strictObject({
    name,
    ...metricFields,
    ...comparatorFields,
    check: z.enum(CHECKS).optional().describe("a built-in check instead of a metric and comparator"),
    service: labelValue.optional().describe("breakerCycle, retryAmplification: the calling service"),
    dependency: labelValue.optional().describe("breakerCycle, retryAmplification: the called dependency"),
    during: z.string().min(1).optional().describe("name of a fault: the expectation's window is that fault"),
    within: positiveDuration
      .optional()
      .describe("eventually: holds at least once within this time of the window start"),
    at: z.literal("end").optional().describe("checked once, after the method and before rollback"),
    recoveredWithin: positiveDuration.optional().describe("holds again within this time after rollback"),
    closedWithin: positiveDuration
      .optional()
      .describe("breakerCycle: closed again within this time after the fault"),
    alert: alertSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.alert !== undefined) return checkAlert(v, ctx);
    if (v.check === undefined) checkMetricAndComparator(v, ctx);
    else if (v.check === "breakerCycle") {
      if (!v.service)
        report(ctx, { path: ["service"], message: "expected the calling service with check: breakerCycle" });
      if (!v.dependency)
        report(ctx, {
          path: ["dependency"],
          message: "expected the called dependency with check: breakerCycle",
        });
      if (!v.during)
        report(ctx, { path: ["during"], message: "expected during: <fault name> with check: breakerCycle" });
    } else if (v.check === "retryAmplification") {
      if (!v.service)
        report(ctx, {
          path: ["service"],
          message:
            "expected the retrying service with check: retryAmplification (its calls are counted per request it received)",
        });
      if (!v.dependency)
        report(ctx, {
          path: ["dependency"],
          message: "expected the called dependency with check: retryAmplification",
        });
      if (v.atMost === undefined && v.below === undefined)
        report(ctx, {
          path: ["atMost"],
          message: "expected atMost (or below) with check: retryAmplification",
        });
      checkThresholdUnit(v, ctx, false);
    }
    const modes = (["within", "at", "recoveredWithin"] as const).filter((k) => v[k] !== undefined);
    if (modes.length > 1)
      report(ctx, {
        path: [modes[1] as string],
        message: `expected one of within, at, recoveredWithin (found ${modes.join(", ")})`,
      });
    if (v.at !== undefined && v.during !== undefined)
      report(ctx, {
        path: ["at"],
        message: "at: end is checked once after the method; it cannot also have during",
      });
  }, onObjects)
  .describe(
    "an assertion over a probe: always during a window, eventually within, at the end, or recovered within; or an alert that fires during a fault and resolves after it",
  );
