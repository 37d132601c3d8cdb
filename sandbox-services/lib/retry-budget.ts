import { z } from "zod";

export const retryBudgetPolicySchema = z.strictObject({
  ratio: z.number().min(0).describe("retries allowed per request over the window"),
  minRetries: z
    .number()
    .int()
    .min(0)
    .describe("retries always allowed per window, so low traffic can still retry"),
  windowMs: z.number().int().min(1),
});
export type RetryBudgetPolicy = z.infer<typeof retryBudgetPolicySchema>;

/**
 * A sliding-window retry budget: a retry is allowed while the retries of the last window stay
 * within max(minRetries, ratio * requests of the last window). It caps retry amplification when
 * a dependency is down for everyone, where per-request retry limits alone would multiply load.
 */
export class RetryBudget {
  private readonly requests: number[] = [];
  private readonly retries: number[] = [];

  constructor(
    private readonly policy: RetryBudgetPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one original request (not a retry). */
  recordRequest(): void {
    this.requests.push(this.now());
  }

  /** Spends one retry when the budget allows it; false means "do not retry". */
  tryAcquireRetry(): boolean {
    const t = this.now();
    this.prune(t);
    const allowed = Math.max(this.policy.minRetries, this.policy.ratio * this.requests.length);
    if (this.retries.length + 1 > allowed) return false;
    this.retries.push(t);
    return true;
  }

  /** Counts inside the current window, for tests and debugging. */
  snapshot(): { requests: number; retries: number } {
    this.prune(this.now());
    return { requests: this.requests.length, retries: this.retries.length };
  }

  private prune(t: number): void {
    const cutoff = t - this.policy.windowMs;
    // Timestamps are pushed in order, so expired ones are always at the front.
    while (this.requests.length > 0 && (this.requests[0] as number) <= cutoff) this.requests.shift();
    while (this.retries.length > 0 && (this.retries[0] as number) <= cutoff) this.retries.shift();
  }
}
