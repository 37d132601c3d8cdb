import { z } from "zod";
import { LIMITS } from "./bounded.js";
import { formatDuration, MAX_DURATION_MS, parseDuration } from "./duration.js";
import { report } from "./refine-helpers.js";

/** Bounds on parameters: a handful per experiment, short names and values. */
export const PARAMETER_LIMITS = {
  /** Parameters one experiment declares. */
  perExperiment: 32,
  /** Values of an enum parameter. */
  values: 64,
  /** Characters of a written value. */
  value: 64,
} as const;

export const PARAMETER_TYPES = ["duration", "number", "integer", "ratio", "enum"] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** A parameter's name: an identifier, so `${param.name}` can never read as anything else (and never `__proto__`). */
export const PARAMETER_NAME = /^(?!__proto__$)[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** An enum value: a plain word, never a `${` or a URL, so it cannot smuggle a reference or a host. */
const ENUM_VALUE = /^[A-Za-z0-9_.-]{1,64}$/;

const writtenValue = z.union([z.string().max(PARAMETER_LIMITS.value), z.number()]);

/** A resolved value: a duration or enum stays the text written, a number is a number. */
export type ParameterValue = z.infer<typeof writtenValue>;

export const parameterSchema = z
  .strictObject({
    type: z
      .enum(PARAMETER_TYPES)
      .describe("duration (800ms), number, integer, ratio (0..1 or a percentage) or enum (one of values)"),
    default: writtenValue.describe("the value when neither --var, --var-file nor a matrix gives one"),
    values: z
      .array(z.string().regex(ENUM_VALUE, { error: "expected a word of letters, digits, '.', '_' or '-'" }))
      .min(1)
      .max(PARAMETER_LIMITS.values)
      .optional()
      .describe("the allowed values of an enum parameter"),
    description: z.string().max(LIMITS.description).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.type === "enum" && p.values === undefined)
      report(ctx, { path: ["values"], message: "expected the values of an enum parameter" });
    if (p.type !== "enum" && p.values !== undefined)
      report(ctx, { path: ["values"], message: `values belong to an enum parameter, not a ${p.type}` });
    if (p.type === "enum" && p.values === undefined) return;
    const checked = checkParameterValue(p, p.default);
    if (!checked.ok) report(ctx, { path: ["default"], message: checked.problem });
  })
  // biome-ignore lint/suspicious/noTemplateCurlyInString: ${param.name} is our reference syntax, not a typo
  .describe("a value the experiment takes as ${param.<name>} in a fault attribute, duration or threshold");

export const parametersSchema = z
  .record(
    z.string().regex(PARAMETER_NAME, {
      error: "expected a parameter name of letters, digits and _ (starting with a letter or _)",
    }),
    parameterSchema,
  )
  .refine((ps) => Object.keys(ps).length <= PARAMETER_LIMITS.perExperiment, {
    error: `expected at most ${PARAMETER_LIMITS.perExperiment} parameters`,
  })
  .describe("named values set by --var, --var-file or a game day's matrix; each has a type and a default");

export type Parameter = z.infer<typeof parameterSchema>;
export type Parameters = z.infer<typeof parametersSchema>;

type Checked = { ok: true; value: ParameterValue } | { ok: false; problem: string };

const NUMBER_TEXT = /^[+-]?(?:\d{1,15}(?:\.\d{1,15})?|\.\d{1,15})(?:e[+-]?\d{1,3})?$/i;

/** A number written as a number, or as text from the command line or a var file. */
function asNumber(value: ParameterValue): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  const text = value.trim();
  return NUMBER_TEXT.test(text) ? Number(text) : undefined;
}

/**
 * Whether `value` is a value of the parameter's type, and its canonical form. The problem never
 * quotes the value: it may come from a var file, and a var file is not a place to echo from.
 */
export function checkParameterValue(p: Pick<Parameter, "type" | "values">, value: ParameterValue): Checked {
  const problem = (message: string): Checked => ({ ok: false, problem: message });
  switch (p.type) {
    case "duration": {
      if (typeof value !== "string")
        return problem('expected a duration with a unit such as "800ms" or "2s", found a bare number');
      const ms = parseDuration(value.trim());
      if (ms === undefined)
        return problem('expected a duration with a unit such as "800ms", "2s" or "1m30s"');
      if (ms > MAX_DURATION_MS)
        return problem(`expected a duration of at most ${formatDuration(MAX_DURATION_MS)}`);
      return { ok: true, value: value.trim() };
    }
    case "number":
    case "integer": {
      const n = asNumber(value);
      if (n === undefined) return problem(`expected ${p.type === "integer" ? "a whole number" : "a number"}`);
      if (p.type === "integer" && !Number.isInteger(n)) return problem("expected a whole number");
      return { ok: true, value: n };
    }
    case "ratio": {
      const percent = typeof value === "string" && /^\s*[\d.]+\s*%\s*$/.test(value);
      const n = asNumber(percent ? String(value).replace("%", "") : value);
      const ratio = n === undefined ? undefined : percent ? n / 100 : n;
      if (ratio === undefined || ratio < 0 || ratio > 1)
        return problem('expected a ratio from 0 to 1 such as 0.5, or a percentage such as "50%"');
      return { ok: true, value: Number(ratio.toPrecision(12)) };
    }
    case "enum": {
      const values = p.values ?? [];
      if (typeof value === "string" && values.includes(value)) return { ok: true, value };
      return problem(`expected one of ${values.join(", ")}`);
    }
  }
}
