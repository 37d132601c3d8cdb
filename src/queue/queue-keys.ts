/**
 * Every Redis key gameday's queue uses, under one prefix (bullmq's own keys share it), so tests
 * and teams can share one Redis without seeing each other.
 */
export function queueKeys(prefix: string) {
  return {
    prefix,
    queueName: "runs",
    /** JSON of one run record. */
    run: (id: string) => `${prefix}:gd:run:${id}`,
    /** Sorted set of run ids by enqueue time. */
    runs: `${prefix}:gd:runs`,
    /** Exists (with a TTL) while the run's worker is alive; its value is the holder's token. */
    lease: (id: string) => `${prefix}:gd:lease:${id}`,
    /** JSON: what the janitor needs to revert a dead run's faults (targets, lock keys). */
    leaseInfo: (id: string) => `${prefix}:gd:lease-info:${id}`,
    /** Set of the experiment run ids (owner tags) a leased job has started. */
    leaseRuns: (id: string) => `${prefix}:gd:lease-runs:${id}`,
    /** Set of every lease id not yet released or reaped. */
    leases: `${prefix}:gd:leases`,
    /** A janitor's claim on reaping one dead lease. */
    reaping: (id: string) => `${prefix}:gd:reaping:${id}`,
    /** A held lock, valued with the holding lease id. */
    lock: (name: string) => `${prefix}:gd:lock:${name}`,
    /** JSON of the halt in force (`gameday halt`); absent when runs may start. */
    halt: `${prefix}:gd:halt`,
    /** Pub/sub: every halt and resume, so workers react at once rather than at their next poll. */
    haltChannel: `${prefix}:gd:halt-events`,
  };
}

export type QueueKeys = ReturnType<typeof queueKeys>;

export const DEFAULT_QUEUE_PREFIX = "gameday";
