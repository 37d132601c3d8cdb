import { z } from "zod";

export const backoffPolicySchema = z.strictObject({
  baseMs: z.number().int().min(0),
  capMs: z.number().int().min(0),
  jitter: z.enum(["full", "none"]).describe("full: uniform in [0, ceiling); none: exactly the ceiling"),
});
export type BackoffPolicy = z.infer<typeof backoffPolicySchema>;

/** The exponential ceiling before retry number `retry` (1-based): min(cap, base * 2^(retry-1)). */
export function backoffCeilingMs(retry: number, policy: BackoffPolicy): number {
  if (!Number.isInteger(retry) || retry < 1)
    throw new RangeError(`retry must be an integer >= 1, got ${retry}`);
  return Math.min(policy.capMs, policy.baseMs * 2 ** (retry - 1));
}

/**
 * How long to sleep before retry number `retry`. Full jitter spreads the retries of many callers
 * over the whole window, so a dependency that hiccups is not hit by synchronized waves.
 */
export function backoffDelayMs(
  retry: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = backoffCeilingMs(retry, policy);
  return policy.jitter === "full" ? random() * ceiling : ceiling;
}
