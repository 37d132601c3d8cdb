import { z } from "zod";
import {
  appFaultParamsSchemas,
  configKeySchema,
} from "../../sandbox-services/lib/control/app-fault-contract.js";
import { duration } from "./duration.js";

const service = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: "expected a service name of the target's app entry" })
  .describe("a service of the target's app entry (its control endpoint)");

/** Latencies are durations in experiment files ("150ms"); the control contract takes milliseconds. */
const ms = duration.refine((v) => v <= 60_000, { error: "expected at most 60s" });

/**
 * Faults inside a service, applied through its control endpoint (the app-fault contract of
 * sandbox-services/README.md): the cache, the database path, memory, connections, configuration.
 */
export const appFaultSchema = z
  .discriminatedUnion("action", [
    z.strictObject({
      service,
      action: z.literal("cache-hit-ratio"),
      ...appFaultParamsSchemas["cache-hit-ratio"].shape,
    }),
    z.strictObject({
      service,
      action: z.literal("db-latency"),
      latency: ms.describe("added to every database query"),
      jitter: ms.default(0).describe("plus a uniform jitter up to this"),
    }),
    z.strictObject({
      service,
      action: z.literal("pool-shrink"),
      ...appFaultParamsSchemas["pool-shrink"].shape,
    }),
    z.strictObject({
      service,
      action: z.literal("memory-leak"),
      ...appFaultParamsSchemas["memory-leak"].shape,
    }),
    z.strictObject({
      service,
      action: z.literal("connection-leak"),
      ...appFaultParamsSchemas["connection-leak"].shape,
    }),
    z.strictObject({
      service,
      action: z.literal("config-drift"),
      key: configKeySchema.describe("the configuration value the bad deploy changes"),
      value: z
        .number()
        .int()
        .min(0)
        .max(86_400_000)
        .describe("its drifted value (exactly restored on revert)"),
    }),
  ])
  .describe("an application-level fault through a service's control endpoint");

export type AppFaultSpec = z.infer<typeof appFaultSchema>;
