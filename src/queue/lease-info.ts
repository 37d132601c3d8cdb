import { z } from "zod";
import { targetSchema } from "../targets/targets-schema.js";

export const workerIdentitySchema = z.object({ id: z.string(), host: z.string(), pid: z.number() });
export type WorkerIdentity = z.infer<typeof workerIdentitySchema>;

/** What a janitor needs to clean up after a dead worker without its memory or its journal. */
export const leaseInfoSchema = z.object({
  leaseId: z.string(),
  /** The run record (the bullmq job id). */
  recordId: z.string(),
  name: z.string(),
  worker: workerIdentitySchema,
  /** The target environments the run may touch, in full: injectors are built from these. */
  targets: z.record(z.string(), targetSchema),
  lockKeys: z.array(z.string()),
  ttlMs: z.number(),
  openedAt: z.number(),
});

export type LeaseInfo = z.infer<typeof leaseInfoSchema>;
