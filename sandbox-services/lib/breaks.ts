import { z } from "zod";

/**
 * Regression switches: each one removes a countermeasure, so a game day (or a CI gate) can
 * prove that its experiments notice when someone deletes the breaker, the jitter, and so on.
 */
export const BREAKS = ["breaker", "jitter", "timeout", "retries", "fallback"] as const;
export const breakSchema = z.enum(BREAKS);
export type Break = z.infer<typeof breakSchema>;

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

/** Sorted and deduplicated, so two lists with the same switches compare equal. */
export function normalizeBreaks(breaks: readonly Break[]): Break[] {
  return BREAKS.filter((b) => breaks.includes(b));
}
