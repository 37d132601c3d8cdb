import type { z } from "zod";
import { didYouMean } from "./did-you-mean.js";

type Issue = z.core.$ZodIssue;

/** How a written value reads back to its author: strings quoted, structures named. */
export function describeFound(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return value.length ? "a list" : "an empty list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a mapping",
  array: "a list",
};

function bound(issue: Extract<Issue, { code: "too_big" | "too_small" }>): string {
  const big = issue.code === "too_big";
  const limit = Number(big ? issue.maximum : issue.minimum);
  if (issue.origin === "string")
    return !big && limit === 1 ? "a non-empty string" : `${big ? "at most" : "at least"} ${limit} characters`;
  if (issue.origin === "array" || issue.origin === "set")
    return `${big ? "at most" : "at least"} ${limit} item${limit === 1 ? "" : "s"}`;
  const relation = big ? (issue.inclusive ? "at most" : "below") : issue.inclusive ? "at least" : "above";
  return `a number ${relation} ${limit}`;
}

/**
 * Zod's default text rewritten as "expected X" (our schema's own messages are kept), plus a
 * did-you-mean hint when the written value looks like a typo of an allowed one.
 */
function expectation(issue: Issue, value: unknown): { text: string; hint: string } {
  const typo = (options: string[]) => (typeof value === "string" ? didYouMean(value, options) : "");
  // Zod's defaults start upper-case ("Invalid input: ..."); the schema's messages start with "expected".
  if (!/^[A-Z]/.test(issue.message)) return { text: issue.message, hint: "" };
  switch (issue.code) {
    case "invalid_type": {
      const text = `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
      const numeric =
        ["number", "int"].includes(issue.expected) && /^\s*-?\d+(\.\d+)?\s*$/.test(String(value));
      const boolean = issue.expected === "boolean" && /^(true|false)$/.test(String(value));
      if (typeof value === "string" && (numeric || boolean)) return { text, hint: ": remove the quotes" };
      if (issue.expected === "string" && (typeof value === "number" || typeof value === "boolean"))
        return { text, hint: `: quote it ("${value}")` };
      return { text, hint: "" };
    }
    case "too_big":
    case "too_small":
      return { text: `expected ${bound(issue)}`, hint: "" };
    case "invalid_format":
      if (issue.format === "url")
        return { text: 'expected a URL, such as "http://127.0.0.1:8474"', hint: "" };
      if (issue.format === "regex") return { text: `expected text matching ${issue.pattern}`, hint: "" };
      return { text: `expected a valid ${issue.format}`, hint: "" };
    case "not_multiple_of":
      return { text: `expected a multiple of ${issue.divisor}`, hint: "" };
    case "invalid_value": {
      const values = issue.values.map((v) => JSON.stringify(v));
      const text = values.length === 1 ? `expected ${values[0]}` : `expected one of ${values.join(", ")}`;
      return { text, hint: values.length > 1 ? typo(issue.values.map(String)) : "" };
    }
    case "invalid_union":
      if (issue.discriminator && "options" in issue && issue.options) {
        const options = issue.options.map(String).join(", ");
        if (typeof value === "string")
          return {
            text: `unknown ${issue.discriminator} "${value}": expected one of ${options}`,
            hint: typo(issue.options.map(String)),
          };
        return { text: `expected ${issue.discriminator} to be one of ${options}`, hint: "" };
      }
      return { text: "expected a value matching one of the allowed forms", hint: "" };
    default:
      return { text: `expected a valid value (${issue.message})`, hint: "" };
  }
}

/**
 * The human message for one zod issue: what was expected and what was found. `exists` is false
 * when the field is absent from the file, which makes it a missing required field.
 */
export function issueMessage(issue: Issue, value: unknown, exists: boolean, field: string): string {
  const { text, hint } = expectation(issue, value);
  if (!exists && field !== "") return `missing required field "${field}": ${text}`;
  if (!text.startsWith("expected") || /\bfound\b/.test(text)) return text + hint;
  return `${text}, found ${describeFound(value)}${hint}`;
}

/** The message for a key the schema does not know, with the likely intended one. */
export function unknownFieldMessage(key: string, allowed: string[] | undefined): string {
  const list = allowed?.length ? `expected one of ${allowed.join(", ")}` : "not allowed here";
  return `unknown field "${key}": ${list}${allowed ? didYouMean(key, allowed) : ""}`;
}
