import type { Experiment } from "../experiment/schema.js";

/** How long the steady state is observed before any fault: the longest `over`, at least one sample. */
export function baselineDuration(e: Experiment): number {
  return Math.max(e.spec.sampleInterval, ...e.spec.steadyState.map((s) => s.over));
}

/** Planned wall time: baseline, the fault schedule, and the recovery window at most. */
export function plannedDuration(e: Experiment): number {
  const method = Math.max(...e.spec.faults.map((f) => f.at + f.for));
  return baselineDuration(e) + method + e.spec.recovery.within;
}
