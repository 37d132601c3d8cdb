import { z } from "zod";

/**
 * The app-fault control contract (sandbox-services/README.md, "App faults: the control
 * endpoint"): what a service's control endpoint accepts and answers. gameday's `app` injector
 * (src/faults/app/) speaks it, so a service of your own that implements it can be broken the same way.
 */
export const APP_FAULT_KINDS = [
  "cache-hit-ratio",
  "db-latency",
  "pool-shrink",
  "memory-leak",
  "connection-leak",
  "config-drift",
] as const;
export const appFaultKindSchema = z.enum(APP_FAULT_KINDS);
export type AppFaultKind = z.infer<typeof appFaultKindSchema>;

/** Configuration values a config-drift may change (each service supports some, listed on GET /faults). */
export const CONFIG_KEYS = [
  "timeoutMs",
  "retries",
  "workMs",
  "cacheTtlMs",
  "cacheMaxEntries",
  "poolAcquireTimeoutMs",
] as const;
export const configKeySchema = z.enum(CONFIG_KEYS);
export type ConfigKey = z.infer<typeof configKeySchema>;

/** Fault ids and owner tags: printable, no slash, so an id is one path segment. */
export const FAULT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,199}$/;
export const faultIdSchema = z.string().regex(FAULT_ID_PATTERN, {
  error: "expected an id of letters, digits, . _ @ - (at most 200, no slash)",
});

const ms = z.number().int().min(0).max(60_000);

export const appFaultParamsSchemas = {
  "cache-hit-ratio": z.strictObject({
    missRatio: z.number().min(0).max(1).describe("share of lookups forced to miss"),
  }),
  "db-latency": z.strictObject({
    addMs: ms.describe("added to every database query"),
    jitterMs: ms.default(0).describe("plus a uniform jitter in [0, jitterMs)"),
  }),
  "pool-shrink": z.strictObject({
    size: z.number().int().min(1).max(1000).describe("the pool's size while applied (below the current)"),
  }),
  "memory-leak": z.strictObject({
    mibPerSecond: z.number().positive().max(64).describe("MiB retained per second"),
    capMib: z.number().int().min(1).max(1024).describe("stops growing at this many MiB"),
  }),
  "connection-leak": z.strictObject({
    perSecond: z
      .number()
      .positive()
      .max(100)
      .describe("pool connections taken and never released per second"),
    max: z.number().int().min(1).max(1000).describe("stops leaking at this many"),
  }),
  "config-drift": z.strictObject({
    key: configKeySchema,
    value: z.number().int().min(0).max(86_400_000).describe("the drifted value"),
  }),
} as const satisfies Record<AppFaultKind, z.ZodType>;

const owner = faultIdSchema.describe("the owner tag, kept with the fault so a sweep can find it");
const applyOf = <K extends AppFaultKind>(kind: K) =>
  z.strictObject({ kind: z.literal(kind), owner, params: appFaultParamsSchemas[kind] });

/** PUT /faults/<id> body. */
export const applyRequestSchema = z.discriminatedUnion("kind", [
  applyOf("cache-hit-ratio"),
  applyOf("db-latency"),
  applyOf("pool-shrink"),
  applyOf("memory-leak"),
  applyOf("connection-leak"),
  applyOf("config-drift"),
]);
export type ApplyRequest = z.infer<typeof applyRequestSchema>;

/** One applied fault, as GET /faults and PUT answer it. */
export const activeAppFaultSchema = z.strictObject({
  id: faultIdSchema,
  kind: appFaultKindSchema,
  owner,
  params: z.record(z.string(), z.union([z.number(), z.string()])),
  appliedAt: z.string(),
  /** What revert restores (the pool's size, the config value); null when revert just stops it. */
  prior: z.number().nullable(),
});
export type ActiveAppFault = z.infer<typeof activeAppFaultSchema>;

/** The service's effective state: what the faults changed, for verification. */
export const appStateSchema = z.strictObject({
  missRatio: z.number(),
  dbExtraMs: z.number(),
  poolSize: z.number().nullable(),
  leakedConnections: z.number(),
  retainedBytes: z.number(),
  config: z.record(z.string(), z.number()),
});
export type AppState = z.infer<typeof appStateSchema>;

/** GET /faults answer. */
export const faultsListSchema = z.strictObject({
  service: z.string(),
  supports: z.array(appFaultKindSchema),
  faults: z.array(activeAppFaultSchema),
  state: appStateSchema,
});
export type FaultsList = z.infer<typeof faultsListSchema>;

export const CONTROL_MAX_BODY_BYTES = 16 * 1024;
