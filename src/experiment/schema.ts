import { z } from "zod";
import { duration, positiveDuration } from "./duration.js";
import { COMPARATORS, comparatorFields, metricFields } from "./metric-schema.js";
import { toxiproxyFaultSchema } from "./toxiproxy-fault-schema.js";

type Issue = { path: (string | number)[]; message: string };
type Ctx = { addIssue: (issue: { code: "custom"; path: (string | number)[]; message: string }) => void };
const report = (ctx: Ctx, issue: Issue) => ctx.addIssue({ code: "custom", ...issue });

const METRIC_KEYS = ["source", "promql", "scrape", "http"] as const;

/** Shared rule for anything that reads a number and compares it. */
function checkMetricAndComparator(value: Record<string, unknown>, ctx: Ctx, needsMetric = true): void {
  const sources = METRIC_KEYS.filter((k) => value[k] !== undefined);
  if (needsMetric && sources.length !== 1) {
    report(ctx, {
      path: sources.length ? [sources[1] ?? sources[0] ?? "source"] : [],
      message: `expected exactly one of source: load, promql, scrape or http (found ${sources.length ? sources.join(", ") : "none"})`,
    });
  }
  if (value.source === "load" && value.metric === undefined) {
    report(ctx, { path: ["metric"], message: "expected metric (errorRatio, p95, throughput, ...) with source: load" });
  }
  if (value.metric !== undefined && value.source !== "load") {
    report(ctx, { path: ["metric"], message: "metric goes with source: load" });
  }
  const comparators = COMPARATORS.filter((k) => value[k] !== undefined);
  if (comparators.length !== 1) {
    report(ctx, {
      path: comparators.length > 1 ? [comparators[1] as string] : [],
      message: `expected exactly one of ${COMPARATORS.join(", ")} (found ${comparators.length ? comparators.join(", ") : "none"})`,
    });
  }
}

const name = z.string().min(1).max(120);

export const steadyStateSchema = z
  .strictObject({ name, ...metricFields, ...comparatorFields, over: positiveDuration.default(5000) })
  .superRefine((v, ctx) => checkMetricAndComparator(v, ctx));

export const abortConditionSchema = z
  .strictObject({ name: name.optional(), ...metricFields, ...comparatorFields, for: duration.default(0) })
  .superRefine((v, ctx) => checkMetricAndComparator(v, ctx));

export const CHECKS = ["breakerCycle", "retryAmplification"] as const;

export const expectationSchema = z
  .strictObject({
    name,
    ...metricFields,
    ...comparatorFields,
    check: z.enum(CHECKS).optional(),
    service: z.string().min(1).optional().describe("breakerCycle, retryAmplification: the calling service"),
    dependency: z.string().min(1).optional().describe("breakerCycle, retryAmplification: the called dependency"),
    during: z.string().min(1).optional().describe("name of a fault: the expectation's window is that fault"),
    within: positiveDuration.optional().describe("eventually: holds at least once within this time of the window start"),
    at: z.literal("end").optional().describe("checked once, after the method and before rollback"),
    recoveredWithin: positiveDuration.optional().describe("holds again within this time after rollback"),
    closedWithin: positiveDuration.optional().describe("breakerCycle: closed again within this time after the fault"),
  })
  .superRefine((v, ctx) => {
    if (v.check === undefined) checkMetricAndComparator(v, ctx);
    else if (v.check === "breakerCycle") {
      if (!v.service || !v.dependency)
        report(ctx, { path: ["dependency"], message: "breakerCycle needs service and dependency" });
      if (!v.during) report(ctx, { path: ["during"], message: "breakerCycle needs during: <fault name>" });
    } else if (v.check === "retryAmplification") {
      if (!v.dependency) report(ctx, { path: ["dependency"], message: "retryAmplification needs dependency" });
      if (v.atMost === undefined && v.below === undefined)
        report(ctx, { path: ["atMost"], message: "retryAmplification needs atMost (or below)" });
    }
    const modes = (["within", "at", "recoveredWithin"] as const).filter((k) => v[k] !== undefined);
    if (modes.length > 1)
      report(ctx, { path: [modes[1] as string], message: `use one of within, at, recoveredWithin (found ${modes.join(", ")})` });
    if (v.at !== undefined && v.during !== undefined)
      report(ctx, { path: ["at"], message: "at: end is checked once after the method; it cannot also have during" });
  });

export const faultSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
      error: "expected a fault name of lowercase letters, digits and dashes (at most 63)",
    }),
    at: duration.default(0).describe("start offset from the beginning of the method"),
    for: positiveDuration.describe("how long the fault stays injected"),
    toxiproxy: toxiproxyFaultSchema.optional(),
  })
  .superRefine((v, ctx) => {
    const families = (["toxiproxy"] as const).filter((k) => v[k] !== undefined);
    if (families.length !== 1)
      report(ctx, { path: [], message: "expected exactly one fault family: toxiproxy" });
  });

export const loadSchema = z.strictObject({
  url: z.string().min(1),
  method: z.enum(["GET", "POST", "PUT", "DELETE"]).default("GET"),
  rate: z.number().positive().max(10_000).describe("requests per second"),
  timeout: positiveDuration.default(2000),
  maxInFlight: z.number().int().positive().default(256),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
});

export const experimentSchema = z
  .strictObject({
    apiVersion: z.literal("gameday/v1"),
    kind: z.literal("Experiment"),
    metadata: z.strictObject({
      name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
        error: "expected a name of lowercase letters, digits and dashes (at most 63)",
      }),
      description: z.string().optional(),
      labels: z.record(z.string(), z.string()).default({}),
    }),
    spec: z.strictObject({
      target: z.string().min(1),
      sampleInterval: positiveDuration.default(1000),
      load: loadSchema.optional(),
      steadyState: z.array(steadyStateSchema).default([]),
      faults: z.array(faultSchema).min(1, { error: "expected at least one fault" }),
      expect: z.array(expectationSchema).default([]),
      abortWhen: z.array(abortConditionSchema).default([]),
      recovery: z.strictObject({ within: positiveDuration.default(30_000) }).default({ within: 30_000 }),
    }),
  })
  .superRefine((exp, ctx) => {
    const seen = new Map<string, number>();
    exp.spec.faults.forEach((f, i) => {
      if (seen.has(f.name))
        report(ctx, {
          path: ["spec", "faults", i, "name"],
          message: `duplicate fault name "${f.name}" (also faults[${seen.get(f.name)}])`,
        });
      seen.set(f.name, i);
    });
    exp.spec.expect.forEach((e, i) => {
      if (e.during !== undefined && !seen.has(e.during))
        report(ctx, {
          path: ["spec", "expect", i, "during"],
          message: `no fault named "${e.during}" (faults: ${[...seen.keys()].join(", ")})`,
        });
    });
    const usesLoad = (items: { source?: string | undefined }[]) => items.some((s) => s.source === "load");
    if (!exp.spec.load && (usesLoad(exp.spec.steadyState) || usesLoad(exp.spec.expect) || usesLoad(exp.spec.abortWhen)))
      report(ctx, { path: ["spec", "load"], message: "source: load is used, so spec.load is required" });
  });

export type Experiment = z.infer<typeof experimentSchema>;
export type ExperimentInput = z.input<typeof experimentSchema>;
export type FaultSpec = z.infer<typeof faultSchema>;
export type Expectation = z.infer<typeof expectationSchema>;
export type SteadyStateCheck = z.infer<typeof steadyStateSchema>;
export type AbortCondition = z.infer<typeof abortConditionSchema>;
export type LoadSpec = z.infer<typeof loadSchema>;
