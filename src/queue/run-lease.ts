import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { LeaseInfo } from "./lease-info.js";
import type { QueueKeys } from "./queue-keys.js";
import { releaseLocks } from "./redis-locks.js";
import { withTimeout } from "./with-timeout.js";

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

export const DEFAULT_LEASE_TTL_MS = 10_000;

export interface LeaseOptions {
  ttlMs: number;
  /** Called once when the lease is gone (reaped, or not renewable for a whole TTL): stop the run. */
  onLost: (reason: string) => void;
}

/**
 * A run's claim to be alive, renewed every third of its TTL. When it expires (the worker was
 * killed), a janitor reverts the faults of every run id registered here. A worker that cannot
 * renew for a whole TTL fences itself: it stops its run, since a janitor may already be reverting.
 */
export class RunLease {
  private readonly token = randomBytes(8).toString("hex");
  private timer: NodeJS.Timeout | undefined;
  private renewedAt = 0;
  private inflight = false;
  lost: string | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: QueueKeys,
    readonly info: LeaseInfo,
    private readonly opts: LeaseOptions,
  ) {}

  get id(): string {
    return this.info.leaseId;
  }

  async open(): Promise<void> {
    const { keys, info } = this;
    await this.redis
      .multi()
      .set(keys.leaseInfo(info.leaseId), JSON.stringify(info))
      .set(keys.lease(info.leaseId), this.token, "PX", this.opts.ttlMs)
      .sadd(keys.leases, info.leaseId)
      .exec();
    this.renewedAt = Date.now();
    this.timer = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.opts.ttlMs / 3)));
  }

  /** Registers an experiment run's id (its owner tag) before that run may inject anything. */
  async addRun(runId: string): Promise<void> {
    if (this.lost) throw new Error(`lease lost: ${this.lost}`);
    await withTimeout(
      this.redis.sadd(this.keys.leaseRuns(this.id), runId),
      this.opts.ttlMs,
      "registering the run",
    );
  }

  /**
   * The fence, read before every injection: the lease key must still hold this holder's token. A
   * renewal tick comes only every third of the TTL, and a janitor may have reaped the lease since.
   */
  async checkFence(): Promise<void> {
    if (this.lost) throw new Error(`lease lost: ${this.lost}`);
    const holder = await withTimeout(
      this.redis.get(this.keys.lease(this.id)),
      this.opts.ttlMs,
      "checking the lease",
    );
    if (holder !== this.token) {
      this.lose("the lease expired and was reaped by a janitor");
      throw new Error(`lease lost: ${this.lost}`);
    }
  }

  private async renew(): Promise<void> {
    if (this.lost) return;
    const silentFor = Date.now() - this.renewedAt;
    if (silentFor > this.opts.ttlMs) return this.lose(`could not renew the lease for ${silentFor} ms`);
    if (this.inflight) return;
    this.inflight = true;
    try {
      const ok = await withTimeout(
        this.redis.eval(RENEW, 1, this.keys.lease(this.id), this.token, this.opts.ttlMs),
        this.opts.ttlMs,
        "renewing the lease",
      );
      if (ok === 1) this.renewedAt = Date.now();
      else this.lose("the lease expired and was reaped by a janitor");
    } catch {
      // Redis is away: retried on the next tick until the TTL is used up.
    } finally {
      this.inflight = false;
    }
  }

  private lose(reason: string): void {
    if (this.lost) return;
    this.lost = reason;
    this.opts.onLost(reason);
  }

  /** Frees the locks and forgets the lease: the run is over and its faults are reverted. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const { keys, id } = this;
    await releaseLocks(this.redis, this.info.lockKeys, id);
    await this.redis
      .multi()
      .del(keys.lease(id), keys.leaseInfo(id), keys.leaseRuns(id))
      .srem(keys.leases, id)
      .exec();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
