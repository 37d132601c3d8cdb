import type { RunContext } from "../run-context.js";
import type { Phase } from "../timeline.js";

/**
 * Samples every expectation once and journals each one that settles, so the report's timeline
 * shows when a breaker was seen open or an "always" first broke, not only the final table.
 */
export async function tickExpectations(
  ctx: RunContext,
  now: number,
  phase: Phase = ctx.phase,
): Promise<void> {
  if (ctx.load) ctx.samples?.load(now, ctx.load.stats, ctx.experiment.spec.sampleInterval);
  await Promise.all(
    ctx.evaluators.map(async (e) => {
      if (e.settled) return;
      await e.tick(now, phase, ctx.timeline);
      if (e.settled) ctx.journal.write("expectation", { name: e.name, status: e.status(), settled: true });
    }),
  );
}
