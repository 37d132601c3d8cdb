import { z } from "zod";

export const workerIdentitySchema = z.object({ id: z.string(), host: z.string(), pid: z.number() });
export type WorkerIdentity = z.infer<typeof workerIdentitySchema>;

/**
 * What a janitor needs to clean up after a dead worker without its memory or its journal. Targets
 * are names only: a janitor resolves them in its OWN targets file, never from what Redis says
 * (anyone who reaches Redis could write a lease naming any endpoint). Records of older versions
 * stored whole targets; only their names are read.
 */
export const leaseInfoSchema = z.object({
  leaseId: z.string(),
  /** The run record (the bullmq job id). */
  recordId: z.string(),
  name: z.string(),
  worker: workerIdentitySchema,
  /** The target environments the run may touch, by name. */
  targets: z.union([z.array(z.string()), z.record(z.string(), z.unknown()).transform((r) => Object.keys(r))]),
  lockKeys: z.array(z.string()),
  ttlMs: z.number(),
  openedAt: z.number(),
});

export type LeaseInfo = z.infer<typeof leaseInfoSchema>;
export type LeaseInfoInput = z.input<typeof leaseInfoSchema>;
