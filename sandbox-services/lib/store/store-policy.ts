import { z } from "zod";

/** risk's data path: a cache in front of a simulated database behind a bounded pool. */
export const storePolicySchema = z.strictObject({
  keys: z.number().int().min(1).describe("distinct customers a score is asked for (uniformly)"),
  cache: z.strictObject({
    maxEntries: z.number().int().min(1),
    ttlMs: z.number().int().min(1),
  }),
  db: z.strictObject({
    baseMs: z.number().min(0),
    tailMedianMs: z.number().min(0),
    tailSigma: z.number().min(0).max(5),
    capMs: z.number().min(1),
  }),
  pool: z.strictObject({
    size: z.number().int().min(1).max(1000),
    acquireTimeoutMs: z.number().int().min(1),
  }),
});
export type StorePolicy = z.infer<typeof storePolicySchema>;

/**
 * Healthy defaults: 200 customers against 1000 entries of 30 minutes keep the hit ratio near 1 once
 * warm, and a miss holds one of 10 connections for ~2.5 ms, so at the demo's rate the pool is
 * almost never full.
 */
export const DEFAULT_STORE_POLICY: StorePolicy = {
  keys: 200,
  cache: { maxEntries: 1000, ttlMs: 1_800_000 },
  db: { baseMs: 1, tailMedianMs: 1.5, tailSigma: 0.8, capMs: 1000 },
  pool: { size: 10, acquireTimeoutMs: 1000 },
};
