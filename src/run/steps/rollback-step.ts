import type { RunContext } from "../run-context.js";
import { revertFault } from "./fault-actions.js";

/**
 * Reverts every fault still in the target, then sweeps each injector for anything carrying this
 * run's owner tag (an injection whose answer was lost). Returns what could not be verified gone.
 */
export async function rollbackStep(ctx: RunContext): Promise<string[]> {
  const remaining: string[] = [];
  for (const name of [...ctx.active.keys()]) {
    const err = await revertFault(ctx, name);
    if (err) remaining.push(err);
  }
  for (const injector of ctx.injectors.all().filter((i) => ctx.touched.has(i.family))) {
    let orphans: Awaited<ReturnType<typeof injector.findOrphans>>;
    try {
      orphans = await injector.findOrphans(ctx.runId);
    } catch (err) {
      remaining.push(
        `${injector.family}: could not list faults to verify rollback: ${(err as Error).message}`,
      );
      continue;
    }
    for (const orphan of orphans) {
      if (remaining.some((r) => r.includes(orphan.ownerTag))) continue;
      try {
        await injector.revertOrphan(orphan);
        ctx.journal.write("fault.reverted", { ownerTag: orphan.ownerTag, sweep: true });
      } catch (err) {
        remaining.push(`${orphan.description} (${orphan.ownerTag}): ${(err as Error).message}`);
      }
    }
  }
  ctx.timeline.rollbackEnd = Date.now();
  return remaining;
}
