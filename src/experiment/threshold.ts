import { z } from "zod";
import { parseDuration } from "./duration.js";

/**
 * The value of a comparator (below, above, atMost, atLeast, equals) as written:
 *   a number               below: 0.05       in the metric's own unit
 *   a duration             below: 600ms      latency metrics (ms) and PromQL/scrape values (seconds)
 *   a percentage           below: 1%         ratios (1% = 0.01) and PromQL/scrape values
 *   relative to baseline   below: 3x baseline, below: baseline + 50ms, atLeast: 0.9x baseline - 1%
 * Which forms a metric accepts is decided with its sibling fields (metric-quantity.ts), not here.
 */

/** How an amount was written; its value is normalised: a duration in ms, a percentage as a fraction. */
export type WrittenUnit = "number" | "duration" | "percent";

export interface Amount {
  text: string;
  unit: WrittenUnit;
  value: number;
}

export type Threshold =
  | { kind: "absolute"; text: string; amount: Amount }
  | {
      kind: "relative";
      text: string;
      /** The baseline is multiplied by this (1 when only `baseline` is written). */
      factor: number;
      /** Added after the multiplication; negative for `- x`. */
      offset?: Amount;
    };

const NUMBER = String.raw`\d+(?:\.\d+)?`;
const DURATION = String.raw`(?:\d+(?:\.\d+)?(?:ms|s|m|h))+`;
const PERCENT = String.raw`\d+(?:\.\d+)?%`;
const AMOUNT = `(?:${DURATION}|${PERCENT}|${NUMBER})`;
const RELATIVE = String.raw`(?:(${NUMBER})\s*[x×*]\s*)?baseline(?:\s*([+-])\s*(${AMOUNT}))?`;
const WRITTEN = new RegExp(`^\\s*(?:(${DURATION}|${PERCENT})|${RELATIVE})\\s*$`);

function amount(text: string, sign = 1): Amount {
  if (text.endsWith("%")) return { text, unit: "percent", value: (sign * Number(text.slice(0, -1))) / 100 };
  const ms = parseDuration(text);
  if (ms !== undefined && /[a-z]$/.test(text)) return { text, unit: "duration", value: sign * ms };
  return { text, unit: "number", value: sign * Number(text) };
}

/** Parses a written threshold; undefined when the text matches none of the forms. */
export function parseThreshold(written: number | string): Threshold | undefined {
  if (typeof written === "number") {
    return {
      kind: "absolute",
      text: String(written),
      amount: { text: String(written), unit: "number", value: written },
    };
  }
  const m = WRITTEN.exec(written);
  if (!m) return undefined;
  const text = written.trim().replace(/\s+/g, " ");
  const [, absolute, factor, sign, offset] = m;
  // The pattern accepts any run of unit parts; the duration parser decides ("30s1m", "5s5s" are not durations).
  const bad = (a: string | undefined) =>
    a !== undefined && /[a-z]$/.test(a) && parseDuration(a) === undefined;
  if (bad(absolute) || bad(offset)) return undefined;
  if (absolute !== undefined) return { kind: "absolute", text, amount: amount(absolute) };
  return {
    kind: "relative",
    text,
    factor: factor === undefined ? 1 : Number(factor),
    ...(offset === undefined ? {} : { offset: amount(offset, sign === "-" ? -1 : 1) }),
  };
}

const FORMS =
  'a number, a duration ("600ms"), a percentage ("1%") or a baseline-relative threshold ("3x baseline", "baseline + 50ms")';

function thresholdProblem(input: unknown): string {
  const found = typeof input === "string" ? `"${input}"` : input === null ? "nothing" : String(input);
  if (typeof input === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(input))
    return `expected ${FORMS}, found ${found}: remove the quotes`;
  if (
    typeof input === "string" &&
    /^\s*\d+(\.\d+)?\s*(sec|secs|seconds?|msec|millis|minutes?|min)\s*$/.test(input)
  )
    return `expected ${FORMS}, found ${found}: write durations as 600ms, 1.5s, 2m`;
  return `expected ${FORMS}, found ${typeof input === "object" && input !== null ? "a mapping or list" : found}`;
}

/** A comparator field: what the JSON Schema shows (number or pattern) and the parsed Threshold. */
export const threshold = z
  .union([z.number(), z.string().regex(WRITTEN, { error: (issue) => thresholdProblem(issue.input) })], {
    error: (issue) => thresholdProblem(issue.input),
  })
  .transform((v, ctx) => {
    const t = parseThreshold(v);
    if (!t) ctx.addIssue({ code: "custom", message: thresholdProblem(v) });
    return t as Threshold;
  });
