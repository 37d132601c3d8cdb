import { z } from "zod";

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;

/** Parses "800ms", "15s", "1m30s" into milliseconds; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  if (!WHOLE.test(text)) return undefined;
  let total = 0;
  for (const [, value, unit] of text.matchAll(PART)) {
    total += Number(value) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return Math.round(total);
}

export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * A duration field: a string with a unit (ms, s, m, h), parsed to milliseconds.
 * Bare numbers are refused on purpose: "30" could be seconds or milliseconds.
 */
export const duration = z
  .string({ error: 'expected a duration string with a unit, such as "800ms", "15s" or "1m"' })
  .refine((text) => parseDuration(text) !== undefined, {
    error: 'expected a duration with a unit (ms, s, m, h), such as "800ms", "15s" or "1m30s"',
  })
  .transform((text) => parseDuration(text) as number);

export const positiveDuration = duration.refine((ms) => ms > 0, { error: "expected a duration above 0" });
