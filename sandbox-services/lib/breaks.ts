import { z } from "zod";
import {
  BREAK_ALIASES,
  type BreakAlias,
  COUNTERMEASURES,
  type CountermeasureName,
  MONITORING_COUNTERMEASURES,
  type MonitoringCountermeasureName,
} from "./countermeasures.js";

/**
 * Regression switches: each one removes a countermeasure (one row of the inventory in
 * countermeasures.ts, or an alias for several), so a game day (or a CI gate) can prove that its
 * experiments notice when someone deletes the breaker, the jitter, and so on.
 */
export type Break = CountermeasureName | MonitoringCountermeasureName | BreakAlias;
export const BREAKS = [
  ...COUNTERMEASURES.map((c) => c.name),
  ...MONITORING_COUNTERMEASURES.map((c) => c.name),
  ...(Object.keys(BREAK_ALIASES) as BreakAlias[]),
] as [Break, ...Break[]];
export const breakSchema = z.enum(BREAKS);

/** Parses the comma list of SANDBOX_BREAK; unknown names throw, so a typo never means "nothing broken". */
export function parseBreaks(text: string | undefined): Break[] {
  const names = (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const unknown = names.filter((n) => !breakSchema.safeParse(n).success);
  if (unknown.length > 0) {
    throw new Error(
      `SANDBOX_BREAK: unknown switch ${unknown.join(", ")} (expected a comma list of ${BREAKS.join(", ")})`,
    );
  }
  return normalizeBreaks(names as Break[]);
}

/** Sorted in table order and deduplicated, so two lists with the same switches compare equal. */
export function normalizeBreaks(breaks: readonly Break[]): Break[] {
  return BREAKS.filter((b) => breaks.includes(b));
}
