import { z } from "zod";
import type { InputIssue } from "../errors/gameday-error.js";
import { LIMITS } from "./bounded.js";
import { didYouMean } from "./did-you-mean.js";
import {
  checkParameterValue,
  PARAMETER_LIMITS,
  PARAMETER_NAME,
  type Parameters,
  type ParameterValue,
} from "./parameter-schema.js";
import { report } from "./refine-helpers.js";
import { declaredParameters, type SuppliedParameter } from "./substitute-parameters.js";
import { locateKey, locateValue } from "./yaml-locator.js";
import { parseYamlSource, peekYamlSource, type YamlSource } from "./yaml-source.js";

/**
 * Combinations one matrix may make, and runs a game day may expand to: no more than the
 * experiments a game day may list, so a matrix costs no more to validate than the longest list.
 */
export const MATRIX_LIMITS = { combinations: 64, runs: LIMITS.experiments } as const;

const axisValue = z.union([
  z
    .string()
    .min(1)
    .max(PARAMETER_LIMITS.value)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
    .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, {
      error: "expected a value without control characters: it becomes part of each run's name",
    }),
  z.number(),
]);

/** A value's canonical text as it appears in a run's name: plain and short, never markup or a line break. */
const LABEL_VALUE = /^[A-Za-z0-9_.%+:-]{1,64}$/;

export const matrixSchema = z
  .record(
    z.string().regex(PARAMETER_NAME, {
      error: "expected a parameter name of letters, digits and _ (starting with a letter or _)",
    }),
    z
      .array(axisValue)
      .min(1, { error: "expected at least one value: an empty axis makes no run" })
      .max(MATRIX_LIMITS.combinations)
      .superRefine((values, ctx) => {
        const seen = new Set<string>();
        values.forEach((v, i) => {
          if (seen.has(String(v)))
            report(ctx, { path: [i], message: "expected each value once: this one is already in the axis" });
          seen.add(String(v));
        });
      }),
  )
  .superRefine((axes, ctx) => {
    const product = Object.values(axes).reduce((n, values) => n * Math.max(values.length, 1), 1);
    if (product > MATRIX_LIMITS.combinations)
      report(ctx, {
        path: [],
        message: `the axes make ${product} combinations (the product of their lengths), above the limit of ${MATRIX_LIMITS.combinations}`,
      });
  })
  .describe(
    "parameter values to vary: each member experiment runs once per combination of the axes it declares, named like payments-latency[latency=800ms,toxicity=0.5]",
  );

export type Matrix = z.infer<typeof matrixSchema>;

/** The parameter names an experiment declares, as written (cheap: no validation). */
export function declaredParameterNames(text: string): string[] {
  return declaredMatrixMember(text, "").declared;
}

/** What a matrix needs of one member: the names it declares, and the valid declarations' types. */
export interface MatrixMember {
  file: string;
  declared: string[];
  params: Parameters;
}

export function declaredMatrixMember(text: string, file: string): MatrixMember {
  const source = peekYamlSource(text).source;
  const { params, names } = source ? declaredParameters(source) : { params: {}, names: [] };
  return { file, declared: names, params };
}

/** One run of a matrix: the values it sets and its name's suffix (`latency=800ms,toxicity=0.5`). */
export interface MatrixRun {
  values: Map<string, SuppliedParameter>;
  label: string;
}

/** Every combination of `axes`, first axis slowest, each axis' values in the order written. */
function combinations(axes: [string, ParameterValue[]][]): [string, number, ParameterValue][][] {
  let out: [string, number, ParameterValue][][] = [[]];
  for (const [name, values] of axes)
    out = out.flatMap((combo) =>
      values.map((v, i) => [...combo, [name, i, v] as [string, number, ParameterValue]]),
    );
  return out;
}

/**
 * The runs of each member: once per combination of the matrix axes it declares (once, unnamed,
 * when it declares none). An axis no member declares, or more runs than MATRIX_LIMITS.runs, is
 * an issue at the game day's line. Each value's origin is its place in the game day file, so a
 * value of the wrong type is reported there.
 */
export function expandMatrix(
  source: YamlSource,
  matrix: Matrix,
  members: MatrixMember[],
): { runs: (MatrixRun | undefined)[][]; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const file = source.file;
  const declared = new Set(members.flatMap((m) => m.declared));
  for (const axis of Object.keys(matrix)) {
    if (declared.has(axis)) continue;
    const at = locateKey(source, ["spec", "matrix", axis]);
    const known = [...declared];
    issues.push({
      file,
      line: at.line,
      column: at.column,
      path: `spec.matrix.${axis}`,
      message: `matrix axis ${axis} names no parameter of the game day's experiments (they declare: ${known.join(", ") || "none"})${didYouMean(axis, known)}`,
    });
  }
  const seen = new Set<string>();
  const issue = (i: InputIssue) => {
    const key = `${i.path}:${i.message}`;
    if (!seen.has(key)) issues.push(i);
    seen.add(key);
  };
  const runs = members.map((member) => {
    const axes = Object.entries(matrix).filter(([axis]) => member.declared.includes(axis));
    if (!axes.length) return [undefined];
    const canonical = axes.map(([name, values]): [string, ParameterValue[]] => [
      name,
      canonicalAxis(source, name, values, member, issue),
    ]);
    return combinations(canonical).map((combo): MatrixRun => {
      const values = new Map<string, SuppliedParameter>();
      for (const [name, i, value] of combo) {
        const at = locateValue(source, ["spec", "matrix", name, i]);
        const path = `spec.matrix.${name}[${i}]`;
        values.set(name, {
          value,
          origin: { file, line: at.line, column: at.column, path, label: `matrix value for ${member.file}` },
        });
      }
      return { values, label: combo.map(([name, , value]) => `${name}=${value}`).join(",") };
    });
  });
  const total = runs.reduce((n, r) => n + r.length, 0);
  if (total > MATRIX_LIMITS.runs) {
    const at = locateKey(source, ["spec", "matrix"]);
    issues.push({
      file,
      line: at.line,
      column: at.column,
      path: "spec.matrix",
      message: `the matrix expands the game day to ${total} runs, above the limit of ${MATRIX_LIMITS.runs}: use fewer values or fewer experiments`,
    });
  }
  return { runs, issues };
}

/**
 * One axis' values in the canonical form of the member's declared type (what --var values get:
 * " 800ms" is 800ms, "50%" is 0.5), so run names are the values runs use and two values that
 * mean the same are one value written twice: an issue at the axis. A value of the wrong type, or
 * whose canonical text is not plain and short, is an issue at its place in the game day.
 */
function canonicalAxis(
  source: YamlSource,
  name: string,
  values: ParameterValue[],
  member: MatrixMember,
  issue: (i: InputIssue) => void,
): ParameterValue[] {
  const file = source.file;
  const param = Object.hasOwn(member.params, name) ? member.params[name] : undefined;
  const first = new Map<string, number>();
  return values.map((written, i) => {
    const place = () => ({
      file,
      ...locateValue(source, ["spec", "matrix", name, i]),
      path: `spec.matrix.${name}[${i}]`,
    });
    // A declaration with its own issue cannot type the value (the experiment's loader reports
    // it); the value must still be fit for a run's name.
    const checked = param ? checkParameterValue(param, written) : { ok: true as const, value: written };
    if (!checked.ok) {
      const message = `matrix value for ${member.file}: ${checked.problem} (parameter ${name} is a ${param?.type})`;
      issue({ ...place(), message });
      return written;
    }
    const text = String(checked.value);
    if (!LABEL_VALUE.test(text)) {
      issue({
        ...place(),
        message:
          "expected a matrix value of at most 64 letters, digits or _ . % + : - : it becomes part of each run's name",
      });
      return checked.value;
    }
    if (!param) return checked.value;
    const earlier = first.get(text);
    if (earlier !== undefined) {
      const at = locateKey(source, ["spec", "matrix", name]);
      issue({
        file,
        line: at.line,
        column: at.column,
        path: `spec.matrix.${name}`,
        message: `matrix axis ${name} lists ${text} twice (values [${earlier}] and [${i}] as parameter ${name} of ${member.file} reads them, a ${param.type}): give each value once`,
      });
    } else first.set(text, i);
    return checked.value;
  });
}

/**
 * Commands that do not expand a matrix (yet) refuse one at its line rather than run each member
 * once with its defaults: a matrix silently dropped would be a sweep that never happened.
 */
export function matrixNotExpanded(text: string, file: string, command: string): InputIssue | undefined {
  const source = parseYamlSource(text, file, "").source;
  if (source?.doc.getIn(["spec", "matrix"]) === undefined) return undefined;
  const at = locateKey(source, ["spec", "matrix"]);
  return {
    file,
    line: at.line,
    column: at.column,
    path: "spec.matrix",
    message: `${command} does not expand a matrix: run the game day with gameday run, or list one experiment per value`,
  };
}
