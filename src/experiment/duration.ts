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

const EXAMPLES = '"800ms", "15s" or "1m30s"';

/** Says what is wrong with a would-be duration, so the fix is obvious from the message alone. */
function durationProblem(input: unknown): string {
  if (typeof input === "number")
    return `expected a duration with a unit, found the bare number ${input}: write "${input}s" or "${input}ms"`;
  if (typeof input !== "string") return `expected a duration string with a unit, such as ${EXAMPLES}`;
  const text = input.trim();
  if (/^-\s*\d/.test(text)) return `expected a duration of 0 or more, found "${input}"`;
  if (/^\d+(?:\.\d+)?$/.test(text))
    return `expected a duration with a unit (ms, s, m, h), found "${input}" without one: write "${text}s" or "${text}ms"`;
  return `expected a duration with a unit (ms, s, m, h), such as ${EXAMPLES}, found "${input}"`;
}

/**
 * A duration field: a string with a unit (ms, s, m, h), parsed to milliseconds.
 * Bare numbers are refused on purpose: "30" could be seconds or milliseconds.
 * The regex (not a refine) keeps the pattern visible in the JSON Schema for editors.
 */
export const duration = z
  .string({ error: (issue) => durationProblem(issue.input) })
  .regex(WHOLE, { error: (issue) => durationProblem(issue.input) })
  .transform((text) => parseDuration(text) as number)
  .describe('a duration with a unit: ms, s, m or h, e.g. "800ms", "15s", "1m30s"');

export const positiveDuration = duration.refine((ms) => ms > 0, { error: "expected a duration above 0" });
