/**
 * What a run holds from preflight until its rollback is done, so two runs on one target never
 * overlap: the local file lock (src/run/target-lock.ts) or a Redis-held one for distributed
 * workers (src/queue/redis-run-lock.ts). `acquire` throws a PreflightError when it cannot.
 */
export interface RunLock {
  acquire(runId: string): void | Promise<void>;
  release(): void | Promise<void>;
  /**
   * Called before every injection: throws when this holder may no longer inject (its lease was
   * reaped by a janitor, which may be reverting this very run). Local locks cannot be taken away.
   */
  fence?(): Promise<void>;
}
