import { z } from "zod";

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;

/**
 * The longest duration any field takes: a day. Timers hold at most 2^31-1 ms (24.8 days) and a
 * game-day experiment that runs for more than a day is a typo; the bound keeps sums of durations
 * (a fault's start plus its length plus recovery) far below what a timer can honour.
 */
export const MAX_DURATION_MS = 24 * 3_600_000;

/**
 * Each unit at most once, largest first ("1h30m", "1m30s", "1s500ms"; never "5s5s" or "30s1m"),
 * at most 9 digits and 3 decimals per part, so "400 digits" never becomes Infinity.
 */
const NUMBER = String.raw`\d{1,9}(?:\.\d{1,3})?`;
const WHOLE = new RegExp(
  String.raw`^(?=\d)(?:(${NUMBER})h)?(?:(${NUMBER})m(?!s))?(?:(${NUMBER})s)?(?:(${NUMBER})ms)?$`,
);

/** Parses "800ms", "15s", "1m30s" into milliseconds; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  if (text.length > 64) return undefined;
  const parts = WHOLE.exec(text);
  if (!parts || parts[0] === "") return undefined;
  const [, h, m, s, ms] = parts;
  let total = 0;
  if (h) total += Number(h) * UNIT_MS.h;
  if (m) total += Number(m) * UNIT_MS.m;
  if (s) total += Number(s) * UNIT_MS.s;
  if (ms) total += Number(ms);
  return Math.round(total);
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms >= 3_600_000) return `${ms / 3_600_000}h`;
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
  const shown = JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}...` : input);
  if (/^-\s*\d/.test(text)) return `expected a duration of 0 or more, found ${shown}`;
  if (/^\d{1,12}(?:\.\d+)?$/.test(text))
    return `expected a duration with a unit (ms, s, m, h), found ${shown} without one: write "${text}s" or "${text}ms"`;
  if (/\d{10}/.test(text))
    return `expected a duration of at most ${formatDuration(MAX_DURATION_MS)}, found a number of 10 digits or more`;
  return `expected a duration with a unit (ms, s, m, h), each unit once and largest first, such as ${EXAMPLES}, found ${shown}`;
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
  .refine((ms) => ms <= MAX_DURATION_MS, {
    error: `expected a duration of at most ${formatDuration(MAX_DURATION_MS)}`,
  })
  .describe('a duration with a unit: ms, s, m or h, e.g. "800ms", "15s", "1m30s"');

export const positiveDuration = duration.refine((ms) => ms > 0, { error: "expected a duration above 0" });
