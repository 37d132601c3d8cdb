import { z } from "zod";
import { appFaultSchema } from "./app-fault-schema.js";
import { headersSchema, LIMITS, labelsSchema } from "./bounded.js";
import { abortConditionSchema, expectationSchema, steadyStateSchema } from "./check-schemas.js";
import { didYouMean } from "./did-you-mean.js";
import { dockerFaultSchema } from "./docker-fault-schema.js";
import { duration, positiveDuration } from "./duration.js";
import { kubernetesFaultSchema } from "./kubernetes-fault-schema.js";
import { parametersSchema } from "./parameter-schema.js";
import { isObject, onObjects, report } from "./refine-helpers.js";
import { toxiproxyFaultSchema } from "./toxiproxy-fault-schema.js";

export { abortConditionSchema, CHECKS, expectationSchema, steadyStateSchema } from "./check-schemas.js";

const FAULT_FAMILIES = ["toxiproxy", "kubernetes", "docker", "app"] as const;

export const faultSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
        error: "expected a fault name of lowercase letters, digits and dashes (at most 63)",
      })
      .describe("unique within the experiment; expectations refer to it with during"),
    at: duration.default(0).describe("start offset from the beginning of the method"),
    for: positiveDuration.describe("how long the fault stays injected"),
    toxiproxy: toxiproxyFaultSchema.optional().describe("a Toxiproxy toxic on a proxy listed in the target"),
    docker: dockerFaultSchema
      .optional()
      .describe("stop, kill, pause, restart, memory or CPU pressure, or a network outage of containers"),
    kubernetes: kubernetesFaultSchema
      .optional()
      .describe("pod deletion, scale to zero, memory pressure or a network toxic in a Kubernetes cluster"),
    app: appFaultSchema
      .optional()
      .describe("inside a service, through its control endpoint: cache, database, pool, leaks, config drift"),
  })
  .superRefine((v, ctx) => {
    const families = FAULT_FAMILIES.filter((k) => v[k] !== undefined);
    if (families.length !== 1)
      report(ctx, {
        path: [],
        message: `expected exactly one fault family: ${FAULT_FAMILIES.join(", ")} (found ${families.join(", ") || "none"})`,
      });
  }, onObjects)
  .describe("one injected failure with a start offset and a duration");

export const loadSchema = z
  .strictObject({
    url: z.string().min(1).max(2048).describe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${VAR} is our interpolation syntax, not a typo
      "the URL the built-in load generator calls (http or https, on a host the target declares); ${VAR} is interpolated",
    ),
    method: z.enum(["GET", "POST", "PUT", "DELETE"]).default("GET"),
    rate: z.number().positive().max(10_000).describe("requests per second"),
    timeout: positiveDuration.default(2000).describe("per-request timeout"),
    maxInFlight: z
      .number()
      .int()
      .positive()
      .max(LIMITS.maxInFlight)
      .default(256)
      .describe("cap on concurrent requests"),
    headers: headersSchema.default({}),
    body: z.string().max(LIMITS.body).optional(),
  })
  .describe("steady load from the built-in generator; its statistics are source: load");

/** The mappings of a list with their original indexes (other items already have their own issue). */
const entries = (v: unknown): [number, Record<string, unknown>][] =>
  Array.isArray(v)
    ? [...v.entries()].filter((e): e is [number, Record<string, unknown>] => isObject(e[1]))
    : [];

export const experimentSchema = z
  .strictObject({
    apiVersion: z.literal("gameday/v1").describe("the file format version"),
    kind: z.literal("Experiment"),
    metadata: z.strictObject({
      name: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
          error: "expected a name of lowercase letters, digits and dashes (at most 63)",
        })
        .describe("the experiment's id in reports, journals and locks"),
      description: z.string().max(LIMITS.description).optional().describe("the hypothesis, in a sentence"),
      labels: labelsSchema.default({}).describe("free-form labels, copied into reports"),
    }),
    spec: z.strictObject({
      target: z.string().min(1).describe("a target environment named in the targets file"),
      sampleInterval: duration
        .refine((ms) => ms >= 50 && ms <= 600_000, { error: "expected a sample interval from 50ms to 10m" })
        .default(1000)
        .describe("how often probes are sampled (50ms to 10m)"),
      load: loadSchema.optional(),
      steadyState: z
        .array(steadyStateSchema)
        .max(LIMITS.checks)
        .default([])
        .describe("checked before any fault, and again after rollback"),
      faults: z
        .array(faultSchema)
        .min(1, { error: "expected at least one fault" })
        .max(LIMITS.faults)
        .describe("the failures to inject, each on its own schedule"),
      expect: z
        .array(expectationSchema)
        .max(LIMITS.checks)
        .default([])
        .describe("what must hold for the run to pass"),
      abortWhen: z
        .array(abortConditionSchema)
        .max(LIMITS.checks)
        .default([])
        .describe("conditions that stop the run early"),
      recovery: z
        .strictObject({
          within: positiveDuration.default(30_000).describe("steady state must hold again within"),
        })
        .default({ within: 30_000 })
        .describe("after rollback, steady state must hold again within this window"),
      parameters: parametersSchema.optional(),
    }),
  })
  // Written defensively: with onObjects it also runs when other fields failed, on partly parsed data.
  .superRefine((exp, ctx) => {
    const spec: Record<string, unknown> = isObject(exp.spec) ? exp.spec : {};
    const seen = new Map<string, number>();
    for (const [i, f] of entries(spec.faults)) {
      if (typeof f.name !== "string") continue;
      if (seen.has(f.name))
        report(ctx, {
          path: ["spec", "faults", i, "name"],
          message: `expected a unique fault name, found "${f.name}" again (first at spec.faults[${seen.get(f.name)}])`,
        });
      else seen.set(f.name, i);
    }
    const names = [...seen.keys()];
    for (const [i, e] of entries(spec.expect)) {
      if (typeof e.during === "string" && e.during !== "" && !seen.has(e.during))
        report(ctx, {
          path: ["spec", "expect", i, "during"],
          message: `expected the name of a fault (${names.join(", ") || "none defined"}), found "${e.during}"${didYouMean(e.during, names)}`,
        });
    }
    const usesLoad = [spec.steadyState, spec.expect, spec.abortWhen].some((items) =>
      entries(items).some(([, s]) => s.source === "load"),
    );
    if (spec.load === undefined && usesLoad)
      report(ctx, { path: ["spec", "load"], message: "expected a load section, since source: load is used" });
  }, onObjects)
  .describe(
    "a gameday experiment: target, load, steady state, faults, expectations, abort conditions, recovery",
  );

export type Experiment = z.infer<typeof experimentSchema>;
export type ExperimentInput = z.input<typeof experimentSchema>;
export type FaultSpec = z.infer<typeof faultSchema>;
export type Expectation = z.infer<typeof expectationSchema>;
export type SteadyStateCheck = z.infer<typeof steadyStateSchema>;
export type AbortCondition = z.infer<typeof abortConditionSchema>;
export type LoadSpec = z.infer<typeof loadSchema>;
