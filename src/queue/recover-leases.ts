import pc from "picocolors";
import { leaseInfoSchema } from "./lease-info.js";
import { type JanitorScope, LeaseJanitor } from "./lease-janitor.js";
import type { QueueConfig } from "./queue-config.js";
import { connectRedis } from "./redis-connection.js";
import { RunHistory } from "./run-history.js";

/**
 * `gameday recover --leases`: one janitor sweep from the command line (no worker needed).
 * Returns how many faults could not be reverted. With dryRun, lists the expired leases only.
 */
export async function recoverLeases(
  q: QueueConfig,
  dryRun: boolean,
  out: NodeJS.WritableStream,
  scope: JanitorScope,
): Promise<number> {
  const redis = await connectRedis(q.url);
  try {
    if (dryRun) {
      let n = 0;
      for (const id of await redis.smembers(q.keys.leases)) {
        if (await redis.exists(q.keys.lease(id))) continue;
        n++;
        const info = leaseInfoSchema.safeParse(safeJson(await redis.get(q.keys.leaseInfo(id))));
        const what = info.success
          ? `run ${info.data.recordId}, targets ${info.data.targets.join(", ") || "none"}`
          : "malformed record: would be skipped";
        out.write(`would reap expired lease ${id.slice(0, 120)} (${what})\n`);
      }
      out.write(`dry run: ${n} expired lease(s) would be reaped; nothing touched\n`);
      return 0;
    }
    const reaped = await new LeaseJanitor(
      redis,
      q.keys,
      new RunHistory(redis, q.keys),
      `recover:${process.pid}`,
      scope,
      (line) => out.write(`${line}\n`),
    ).sweep();
    for (const r of reaped) {
      for (const x of r.reverted) out.write(`${pc.green("reverted")} ${x} (run ${r.recordId})\n`);
      for (const x of r.remaining) out.write(`${pc.red("FAILED")} ${x} (run ${r.recordId})\n`);
    }
    out.write(`${reaped.length} expired lease(s) reaped\n`);
    return reaped.reduce((n, r) => n + r.remaining.length, 0);
  } finally {
    await redis.quit().catch(() => {});
  }
}

function safeJson(text: string | null): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
