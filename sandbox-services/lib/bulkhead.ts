import { z } from "zod";

export const bulkheadPolicySchema = z.strictObject({
  maxConcurrent: z
    .number()
    .int()
    .min(0)
    .describe("calls in flight at once (retries and backoff included); 0 means no limit and no queue"),
  maxQueue: z.number().int().min(0).describe("calls that may wait for a slot; the rest are shed at once"),
  queueTimeoutMs: z.number().int().min(1).describe("a waiting call not admitted within this is shed"),
});
export type BulkheadPolicy = z.infer<typeof bulkheadPolicySchema>;

export interface BulkheadObserver {
  /** Called whenever the number of admitted calls or of waiting calls changes. */
  onChange(inFlight: number, queued: number): void;
}

interface Waiter {
  admit(): void;
}

/**
 * A concurrency limit with a short, bounded wait: a slow dependency can hold at most
 * `maxConcurrent` calls (their sockets and memory) plus `maxQueue` waiting ones, instead of as
 * many as arrive while it is slow; everything beyond is refused at once (load shedding). The
 * queue and its short timeout only absorb bursts: a caller that stalled for a moment (a loaded
 * machine, a GC pause) sends its backlog at once, and those calls should wait a few ms, not fail.
 * 0 means no limit (the `*-bulkhead` switches), but the in-flight count is kept either way: it is
 * what shows the pile-up.
 *
 * Hand-written rather than a library's bulkhead: it is one counter and a FIFO, and the counts it
 * keeps are the metrics.
 */
export class Bulkhead {
  private active = 0;
  private readonly queue: Waiter[] = [];

  constructor(
    private readonly policy: BulkheadPolicy,
    private readonly observer: BulkheadObserver = { onChange: () => {} },
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Runs `fn` in a slot, or returns `undefined` without running it when it was shed. */
  async run<T>(fn: () => Promise<T>): Promise<{ value: T } | undefined> {
    const limited = this.policy.maxConcurrent > 0;
    if (limited && this.active >= this.policy.maxConcurrent) {
      // A slot handed over by release() is already counted in `active`.
      if (!(await this.waitForSlot())) return undefined;
    } else {
      this.active++;
    }
    this.changed();
    try {
      return { value: await fn() };
    } finally {
      const next = this.queue.shift();
      if (next) next.admit();
      else this.active--;
      this.changed();
    }
  }

  private waitForSlot(): Promise<boolean> {
    if (this.queue.length >= this.policy.maxQueue) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        admit: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.queue.splice(this.queue.indexOf(waiter), 1);
        this.changed();
        resolve(false);
      }, this.policy.queueTimeoutMs);
      this.queue.push(waiter);
      this.changed();
    });
  }

  private changed(): void {
    this.observer.onChange(this.active, this.queue.length);
  }
}
