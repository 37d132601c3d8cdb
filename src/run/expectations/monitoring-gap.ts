import type { Expectation } from "../../experiment/schema.js";
import type { ExpectationResult } from "../../interfaces/expectation.js";

/**
 * An alert that never fired is a monitoring gap only if the fault really bit. The evidence is the
 * run's other expectations of the same fault that passed (the bite checks: a fallback served, a
 * breaker opened); without any, the summary says the fault may not have bitten instead.
 */
export function annotateMonitoringGaps(
  results: ExpectationResult[],
  specs: readonly Expectation[],
): ExpectationResult[] {
  return results.map((r) => {
    if (!r.monitoringGap) return r;
    const fault = r.monitoringGap.fault;
    const bites = results.filter(
      (o, i) => o !== r && o.status === "passed" && specs[i]?.during === fault && !specs[i]?.alert,
    );
    const evidence = bites.length
      ? ` (the fault bit: ${bites.map((b) => `"${b.name}" passed`).join(", ")})`
      : ` (but no other expectation of ${fault} passed, so the fault may not have bitten)`;
    return { ...r, summary: `${r.summary}${evidence}` };
  });
}
