import type { Redis } from "ioredis";
import { type SweepSource, sweepOrphans, sweepSourcesOf } from "../faults/orphan-sweep.js";
import type { LoadedTargets } from "../targets/targets-loader.js";
import { type LeaseInfo, leaseInfoSchema } from "./lease-info.js";
import type { QueueKeys } from "./queue-keys.js";
import { releaseLocks } from "./redis-locks.js";
import type { RunHistory } from "./run-history.js";

export interface ReapedLease {
  leaseId: string;
  recordId: string;
  reverted: string[];
  remaining: string[];
}

/** What the janitor may touch: its own targets file (by name) and its installation's faults. */
export interface JanitorScope {
  targets: LoadedTargets;
  installation: string;
}

/**
 * Reverts the faults of every run whose lease expired (its worker died), by owner tag, then frees
 * its locks and records the run as an error naming what was reverted. Safe to run from many
 * workers at once: each dead lease is claimed by one janitor; a failed revert is retried later.
 * Lease records come from Redis and are not trusted: targets are resolved by name in the janitor's
 * own targets file, and a record that does not parse is logged once and skipped.
 */
export class LeaseJanitor {
  private readonly malformed = new Set<string>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: QueueKeys,
    private readonly history: RunHistory,
    private readonly who: string,
    private readonly scope: JanitorScope,
    private readonly log: (line: string) => void = () => {},
  ) {}

  async sweep(): Promise<ReapedLease[]> {
    const out: ReapedLease[] = [];
    for (const id of await this.redis.smembers(this.keys.leases)) {
      if (await this.redis.exists(this.keys.lease(id))) continue;
      const info = await this.readInfo(id);
      if (info === "skip") continue;
      const claimed = await this.redis.set(this.keys.reaping(id), this.who, "PX", 60_000, "NX");
      if (claimed !== "OK") continue;
      try {
        const reaped = await this.reap(id, info);
        if (reaped) out.push(reaped);
      } catch (err) {
        this.log(`janitor: lease ${id}: ${(err as Error).message}; retried on the next sweep`);
      } finally {
        await this.redis.del(this.keys.reaping(id));
      }
    }
    return out;
  }

  /** The lease's record; undefined when there is none (nothing to revert), "skip" when it is malformed. */
  private async readInfo(leaseId: string): Promise<LeaseInfo | undefined | "skip"> {
    const raw = await this.redis.get(this.keys.leaseInfo(leaseId));
    if (!raw) return undefined;
    let problem: string;
    try {
      const parsed = leaseInfoSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
      problem = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    } catch (err) {
      problem = (err as Error).message;
    }
    if (!this.malformed.has(leaseId))
      this.log(`janitor: lease ${leaseId} has a malformed record (${problem.slice(0, 200)}); skipped`);
    this.malformed.add(leaseId);
    return "skip";
  }

  /** The lease's targets as this janitor's own targets file defines them; unknown names cannot be reverted here. */
  private async sources(info: LeaseInfo, remaining: string[]): Promise<SweepSource[]> {
    const sources: SweepSource[] = [];
    const all = this.scope.targets.targets.targets;
    for (const name of info.targets) {
      const target = Object.hasOwn(all, name) ? all[name] : undefined;
      if (!target) {
        remaining.push(
          `target "${name}" is not in this janitor's targets file (${this.scope.targets.file}): its faults cannot be reverted from here`,
        );
        continue;
      }
      sources.push(...(await sweepSourcesOf(name, target)));
    }
    return sources;
  }

  private async reap(leaseId: string, info: LeaseInfo | undefined): Promise<ReapedLease | undefined> {
    // Opened halfway (MULTI makes that unlikely) or already closed: nothing is known to revert.
    if (!info) {
      await this.redis.srem(this.keys.leases, leaseId);
      return undefined;
    }
    const runIds = await this.redis.smembers(this.keys.leaseRuns(leaseId));
    const reverted: string[] = [];
    const remaining: string[] = [];
    const sources = await this.sources(info, remaining);
    const report = await sweepOrphans(sources, { installation: this.scope.installation, runIds });
    for (const u of report.unlisted)
      remaining.push(`${u.target}/${u.family}: cannot list faults: ${u.error}`);
    for (const e of report.entries) {
      if (e.outcome === "reverted")
        reverted.push(`${e.target}/${e.family}: ${e.orphan.description} (${e.orphan.ownerTag})`);
      else if (e.outcome === "failed") remaining.push(`${e.target}/${e.orphan.ownerTag}: ${e.detail}`);
      // The dead run's fault under another installation's tag: not ours to touch, and not gone either.
      else if (e.outcome === "foreign")
        remaining.push(`${e.target}/${e.orphan.ownerTag}: ${e.detail}; not reverted by this janitor`);
    }
    // Keep the lease (and its locks) while anything may remain: the next sweep tries again.
    if (remaining.length) {
      this.log(
        `janitor: run ${info.recordId}: ${remaining.length} faults not reverted yet: ${remaining.join("; ")}`,
      );
      return { leaseId, recordId: info.recordId, reverted, remaining };
    }
    const record = await this.history.get(info.recordId).catch(() => undefined);
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
