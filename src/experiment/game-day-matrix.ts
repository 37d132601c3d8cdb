import { z } from "zod";
import type { InputIssue } from "../errors/gameday-error.js";
import { LIMITS } from "./bounded.js";
import { didYouMean } from "./did-you-mean.js";
import { PARAMETER_LIMITS, PARAMETER_NAME, type ParameterValue } from "./parameter-schema.js";
import { report } from "./refine-helpers.js";
import type { SuppliedParameter } from "./substitute-parameters.js";
import { locateKey, locateValue } from "./yaml-locator.js";
import { parseYamlSource, type YamlSource } from "./yaml-source.js";

/**
 * Combinations one matrix may make, and runs a game day may expand to: no more than the
 * experiments a game day may list, so a matrix costs no more to validate than the longest list.
 */
export const MATRIX_LIMITS = { combinations: 64, runs: LIMITS.experiments } as const;

const axisValue = z.union([z.string().min(1).max(PARAMETER_LIMITS.value), z.number()]);

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
  const params = parseYamlSource(text, "", "").source?.doc.getIn(["spec", "parameters"]);
  const json = (params as { toJSON?: () => unknown } | undefined)?.toJSON?.();
  return typeof json === "object" && json !== null && !Array.isArray(json) ? Object.keys(json) : [];
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
  members: { file: string; declared: string[] }[],
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
  const runs = members.map((member) => {
    const axes = Object.entries(matrix).filter(([axis]) => member.declared.includes(axis));
    if (!axes.length) return [undefined];
    return combinations(axes).map((combo): MatrixRun => {
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
