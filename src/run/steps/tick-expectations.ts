import type { RunContext } from "../run-context.js";
import type { Phase } from "../timeline.js";

/**
 * Samples every expectation that still has a window to sample, and journals each one the moment
 * its status is decided, so the report's timeline shows when a breaker was seen open or an
 * "always" first broke. A decided expectation may keep sampling (an "always" to its window's
 * end, for the worst value and the violation's duration).
 */
export async function tickExpectations(
  ctx: RunContext,
  now: number,
  phase: Phase = ctx.phase,
): Promise<void> {
  if (ctx.load) ctx.samples?.load(now, ctx.load.stats, ctx.experiment.spec.sampleInterval);
  await Promise.all(
    ctx.evaluators.map(async (e) => {
      if (e.done) return;
      const wasSettled = e.settled;
      await e.tick(now, phase, ctx.timeline);
      if (e.settled && !wasSettled)
        ctx.journal.write("expectation", { name: e.name, status: e.status(), settled: true });
    }),
  );
}
