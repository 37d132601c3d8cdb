import { PreflightError } from "../../errors/gameday-error.js";
import type { PlannedFault } from "../../interfaces/injector.js";
import { ProbeConfigError } from "../../probes/probe-factory.js";
import { createExpectation } from "../expectations/expectation-factory.js";
import type { RunContext } from "../run-context.js";
import { observedProbes } from "../samples/series-of.js";

/** Resolves every target and metric source before anything is touched; any failure means "not run". */
export async function preflightStep(ctx: RunContext): Promise<PlannedFault[]> {
  const plans: PlannedFault[] = [];
  for (const fault of ctx.experiment.spec.faults) {
    plans.push(await ctx.injectors.for(fault).plan(fault));
  }
  if (ctx.probes.prometheus) await ctx.probes.prometheus.ping();
  try {
    const recoveryMs = ctx.experiment.spec.recovery.within;
    ctx.evaluators = ctx.experiment.spec.expect.map((e, i) =>
      createExpectation(e, observedProbes(ctx, `expect:${i}`, "expect", e), recoveryMs),
    );
  } catch (err) {
    if (err instanceof ProbeConfigError) throw new PreflightError(err.message, { cause: err });
    throw err;
  }
  const load = ctx.experiment.spec.load;
  if (load) {
    try {
      const res = await fetch(load.url, { signal: AbortSignal.timeout(load.timeout) });
      await res.arrayBuffer();
    } catch (err) {
      throw new PreflightError(`load target ${load.url} is not reachable: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  ctx.journal.write("preflight.ok", { plans });
  return plans;
}
