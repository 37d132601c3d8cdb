import type { Redis } from "ioredis";
import { InjectorRegistry } from "../faults/injector-registry.js";
import { leaseInfoSchema } from "./lease-info.js";
import type { QueueKeys } from "./queue-keys.js";
import { releaseLocks } from "./redis-locks.js";
import type { RunHistory } from "./run-history.js";

export interface ReapedLease {
  leaseId: string;
  recordId: string;
  reverted: string[];
  remaining: string[];
}

/**
 * Reverts the faults of every run whose lease expired (its worker died), by owner tag, then frees
 * its locks and records the run as an error naming what was reverted. Safe to run from many
 * workers at once: each dead lease is claimed by one janitor; a failed revert is retried later.
 */
export class LeaseJanitor {
  constructor(
    private readonly redis: Redis,
    private readonly keys: QueueKeys,
    private readonly history: RunHistory,
    private readonly who: string,
    private readonly log: (line: string) => void = () => {},
  ) {}

  async sweep(): Promise<ReapedLease[]> {
    const out: ReapedLease[] = [];
    for (const id of await this.redis.smembers(this.keys.leases)) {
      if (await this.redis.exists(this.keys.lease(id))) continue;
      const claimed = await this.redis.set(this.keys.reaping(id), this.who, "PX", 60_000, "NX");
      if (claimed !== "OK") continue;
      try {
        const reaped = await this.reap(id);
        if (reaped) out.push(reaped);
      } finally {
        await this.redis.del(this.keys.reaping(id));
      }
    }
    return out;
  }

  private async reap(leaseId: string): Promise<ReapedLease | undefined> {
    const raw = await this.redis.get(this.keys.leaseInfo(leaseId));
    // Opened halfway (MULTI makes that unlikely) or already closed: nothing is known to revert.
    if (!raw) {
      await this.redis.srem(this.keys.leases, leaseId);
      return undefined;
    }
    const info = leaseInfoSchema.parse(JSON.parse(raw));
    const runIds = await this.redis.smembers(this.keys.leaseRuns(leaseId));
    const reverted: string[] = [];
    const remaining: string[] = [];
    for (const [targetName, target] of Object.entries(info.targets)) {
      for (const injector of (await InjectorRegistry.forTarget(target)).all()) {
        for (const runId of runIds) {
          try {
            for (const orphan of await injector.findOrphans(runId)) {
              try {
                await injector.revertOrphan(orphan);
                reverted.push(`${targetName}/${orphan.family}: ${orphan.description} (${orphan.ownerTag})`);
              } catch (err) {
                remaining.push(`${targetName}/${orphan.ownerTag}: ${(err as Error).message}`);
              }
            }
          } catch (err) {
            remaining.push(`${targetName}/${injector.family}: cannot list faults: ${(err as Error).message}`);
          }
        }
      }
    }
    // Keep the lease (and its locks) while anything may remain: the next sweep tries again.
    if (remaining.length) {
      this.log(
        `janitor: run ${info.recordId}: ${remaining.length} faults not reverted yet: ${remaining.join("; ")}`,
      );
      return { leaseId, recordId: info.recordId, reverted, remaining };
    }
    const record = await this.history.get(info.recordId);
    if (record && record.status !== "finished" && record.status !== "skipped") {
      const w = info.worker;
      await this.history.update(info.recordId, {
        status: "finished",
        verdict: "error",
        exitCode: 5,
        endedAt: Date.now(),
        reason: `worker ${w.id} (pid ${w.pid} on ${w.host}) stopped renewing its lease; the janitor reverted ${reverted.length} fault(s)`,
        reverted: [...record.reverted, ...reverted],
      });
    }
    await releaseLocks(this.redis, info.lockKeys, leaseId);
    await this.redis
      .multi()
      .del(this.keys.leaseInfo(leaseId), this.keys.leaseRuns(leaseId))
      .srem(this.keys.leases, leaseId)
      .exec();
    this.log(`janitor: run ${info.recordId} (lease ${leaseId}) reaped, ${reverted.length} fault(s) reverted`);
    return { leaseId, recordId: info.recordId, reverted, remaining };
  }
}
