import { hostname } from "node:os";
import type { Redis } from "ioredis";
import { GamedayError, PreflightError } from "../errors/gameday-error.js";
import type { RunLock } from "../interfaces/run-lock.js";
import { endpointLockNames } from "../run/lock-names.js";
import { TargetLock } from "../run/target-lock.js";
import type { Target } from "../targets/targets-schema.js";
import type { QueueConfig } from "./queue-config.js";
import { connectRedis } from "./redis-connection.js";
import { acquireLocks, endpointLockKeys } from "./redis-locks.js";
import { DEFAULT_LEASE_TTL_MS, RunLease } from "./run-lease.js";

/**
 * The lock of a `gameday run` when Redis is configured ($REDIS_URL): the same endpoint keys the
 * workers take, under a lease of its own, so a CLI run (or the CronJob's inline run) and a worker
 * never break one endpoint at once, and a janitor reverts this run if the CLI is killed. The local
 * file lock is held too, for runs on this machine that do not use Redis.
 */
export class RedisCliLock implements RunLock {
  private readonly local: TargetLock;
  private redis: Redis | undefined;
  private lease: RunLease | undefined;

  constructor(
    private readonly q: QueueConfig,
    stateDir: string,
    private readonly targetName: string,
    private readonly target: Target,
  ) {
    this.local = new TargetLock(stateDir, endpointLockNames(targetName, target));
  }

  async acquire(runId: string): Promise<void> {
    this.local.acquire(runId);
    try {
      await this.acquireRedis(runId);
    } catch (err) {
      await this.release();
      if (err instanceof GamedayError) throw err;
      throw new PreflightError(
        `cannot take the run lock in Redis at ${this.q.url}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  }

  private async acquireRedis(runId: string): Promise<void> {
    this.redis = await connectRedis(this.q.url);
    const lockKeys = endpointLockKeys(this.q.keys, [{ targetName: this.targetName, target: this.target }]);
    const lease = new RunLease(
      this.redis,
      this.q.keys,
      {
        leaseId: `cli-${runId}`,
        recordId: `cli-${runId}`,
        name: `gameday run on ${this.targetName}`,
        worker: { id: `cli:${hostname()}:${process.pid}`, host: hostname(), pid: process.pid },
        targets: [this.targetName],
        lockKeys,
        ttlMs: DEFAULT_LEASE_TTL_MS,
        openedAt: Date.now(),
      },
      { ttlMs: DEFAULT_LEASE_TTL_MS, onLost: () => {} }, // the fence refuses the next injection
    );
    await lease.open();
    this.lease = lease;
    const attempt = await acquireLocks(this.redis, lockKeys, lease.id);
    if (!attempt.ok)
      throw new PreflightError(
        `${attempt.key.slice(this.q.keys.lock("endpoint:").length)} is locked in Redis by ${attempt.holder}`,
      );
    await lease.addRun(runId);
  }

  async fence(): Promise<void> {
    await this.lease?.checkFence();
  }

  async release(): Promise<void> {
    this.local.release();
    await this.lease?.close().catch(() => {});
    this.lease?.stop();
    this.lease = undefined;
    await this.redis?.quit().catch(() => {});
    this.redis = undefined;
  }
}
