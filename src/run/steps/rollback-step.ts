import { sweepOrphans } from "../../faults/orphan-sweep.js";
import type { RunContext } from "../run-context.js";
import { revertFault } from "./fault-actions.js";

/**
 * Reverts every fault still in the target, then sweeps each touched injector for anything carrying
 * this run's owner tag (an injection whose answer was lost). Returns what could not be verified gone.
 */
export async function rollbackStep(ctx: RunContext): Promise<string[]> {
  const remaining: string[] = [];
  const failedTags = new Set<string>();
  for (const [name, active] of [...ctx.active.entries()]) {
    const err = await revertFault(ctx, name);
    if (err) {
      remaining.push(err);
      failedTags.add(active.ownerTag);
    }
  }
  const sources = ctx.injectors
    .all()
    .filter((i) => ctx.touched.has(i.family))
    .map((injector) => ({ target: ctx.experiment.spec.target, injector }));
  const report = await sweepOrphans(sources, {
    installation: ctx.installation,
    runIds: [ctx.runId],
    skipTags: failedTags,
  });
  for (const u of report.unlisted)
    remaining.push(`${u.family}: could not list faults to verify rollback: ${u.error}`);
  for (const e of report.entries) {
    if (e.outcome === "reverted")
      ctx.journal.write("fault.reverted", { ownerTag: e.orphan.ownerTag, sweep: true });
    else if (e.outcome === "failed")
      remaining.push(`${e.orphan.description} (${e.orphan.ownerTag}): ${e.detail ?? "revert failed"}`);
  }
  ctx.timeline.rollbackEnd = Date.now();
  return remaining;
}
