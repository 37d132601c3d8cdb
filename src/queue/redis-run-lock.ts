import { InfrastructureError, PreflightError } from "../errors/gameday-error.js";
import type { RunLock } from "../interfaces/run-lock.js";
import type { RunLease } from "./run-lease.js";

/**
 * The runner's lock when a queue worker runs it. The job's lease already holds the Redis locks of
 * every target the job touches (taken all at once before the first run); acquiring registers the
 * run id with the lease, so a janitor can find this run's faults by owner tag if the worker dies.
 */
export class RedisRunLock implements RunLock {
  constructor(
    private readonly lease: RunLease,
    private readonly targetName: string,
  ) {}

  async acquire(runId: string): Promise<void> {
    if (!this.lease.info.targets.includes(this.targetName))
      throw new PreflightError(
        `target "${this.targetName}" is not locked by run ${this.lease.info.recordId}`,
      );
    try {
      await this.lease.addRun(runId);
    } catch (err) {
      throw new PreflightError(`cannot register run ${runId} with its lease: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  /** Refuses to inject once the lease is gone: a janitor may be reverting this run right now. */
  async fence(): Promise<void> {
    try {
      await this.lease.checkFence();
    } catch (err) {
      throw new InfrastructureError(`not injecting: ${(err as Error).message}`, { cause: err });
    }
  }

  release(): void {
    // The target locks belong to the job's lease and are freed when the whole job ends.
  }
}
