import { isMap, isScalar } from "yaml";
import { clip, type InputIssue, ValidationError } from "../errors/gameday-error.js";
import { didYouMean } from "./did-you-mean.js";
import { PARAMETER_LIMITS, PARAMETER_NAME } from "./parameter-schema.js";
import { readInputFileSync } from "./read-input.js";
import type { SuppliedParameter } from "./substitute-parameters.js";
import { parseYamlSource, positionAt } from "./yaml-source.js";

/** At most this many --var options and var-file entries: a handful is the real use. */
export const MAX_VARS = 64;

/** Values from --var and --var-file, merged (the command line wins), each with where it came from. */
export type SuppliedValues = Map<string, SuppliedParameter>;

const cliIssue = (path: string, message: string): InputIssue => ({ file: "--var", path, message });

/** `--var name=value`, repeatable; a malformed or repeated one is invalid input (exit 2). */
export function parseVarOptions(options: readonly string[]): {
  values: SuppliedValues;
  issues: InputIssue[];
} {
  const values: SuppliedValues = new Map();
  const issues: InputIssue[] = [];
  if (options.length > MAX_VARS) issues.push(cliIssue("", `expected at most ${MAX_VARS} --var options`));
  for (const option of options.slice(0, MAX_VARS)) {
    const eq = option.indexOf("=");
    const name = eq < 0 ? option : option.slice(0, eq);
    const shown = clip(name, 40);
    if (eq < 0 || !PARAMETER_NAME.test(name)) {
      issues.push(
        cliIssue(
          shown,
          `expected --var name=value with a parameter name of letters, digits and _, found "${clip(option, 40)}"`,
        ),
      );
      continue;
    }
    if (values.has(name)) {
      issues.push(cliIssue(name, `--var ${name} is given twice: give each parameter once`));
      continue;
    }
    const value = option.slice(eq + 1);
    if (value.length > PARAMETER_LIMITS.value) {
      issues.push(
        cliIssue(name, `--var ${name}: expected a value of at most ${PARAMETER_LIMITS.value} characters`),
      );
      continue;
    }
    // Quoted as JSON: a control character typed on the command line comes back escaped, not interpreted.
    const label = `--var ${name}=${JSON.stringify(value)}`;
    values.set(name, { value, origin: { file: "--var", path: name, label } });
  }
  return { values, issues };
}

/**
 * A var file: one flat YAML map of parameter names to scalar values, read with the same caps as
 * every input. Its values are never echoed (a var file is not a secret channel, but it may hold
 * one by mistake): messages name the file, line and key only.
 */
export function readVarFile(file: string): { values: SuppliedValues; issues: InputIssue[] } {
  const values: SuppliedValues = new Map();
  const text = readInputFileSync(file, "var file");
  const parsed = parseYamlSource(text, file, "a flat map of parameter names to values (latency: 800ms)");
  const issues: InputIssue[] = [...parsed.issues];
  const source = parsed.source;
  if (!source) return { values, issues };
  const root = source.doc.contents;
  const at = (offset: number | undefined) => positionAt(source.lineCounter, offset ?? 0);
  if (!isMap(root)) {
    const message = "expected a flat map of parameter names to values, such as latency: 800ms";
    issues.push({ file, ...at(root?.range?.[0]), path: "", message });
    return { values, issues };
  }
  for (const pair of root.items.slice(0, MAX_VARS)) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    const keyAt = at(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
    if (typeof key !== "string" || !PARAMETER_NAME.test(key)) {
      const message = "expected a parameter name of letters, digits and _ as the key";
      issues.push({ file, ...keyAt, path: "", message });
      continue;
    }
    const node = pair.value;
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== "string" && typeof value !== "number") {
      issues.push({
        file,
        ...keyAt,
        path: key,
        message: "expected a single value (a duration, a number or a word): a var file is a flat map",
      });
      continue;
    }
    const valueAt = at(isScalar(node) ? node.range?.[0] : undefined);
    values.set(key, { value, origin: { file, ...valueAt, path: key, label: `the value of ${key}` } });
  }
  if (root.items.length > MAX_VARS)
    issues.push({ file, line: 1, column: 1, path: "", message: `expected at most ${MAX_VARS} entries` });
  return { values, issues };
}

/** --var-file, then --var over it: the command line wins. Throws every issue of both at once. */
export function suppliedValues(opts: {
  vars?: readonly string[];
  varFile?: string | undefined;
}): SuppliedValues {
  const fromFile = opts.varFile ? readVarFile(opts.varFile) : { values: new Map(), issues: [] };
  const fromCli = parseVarOptions(opts.vars ?? []);
  const issues = [...fromFile.issues, ...fromCli.issues];
  if (issues.length) throw new ValidationError(issues);
  return new Map([...fromFile.values, ...fromCli.values]);
}

/**
 * A supplied value no file declares is a mistake (a typo, or the wrong file): refused, naming
 * where it was given and the names that do exist, so nothing runs with a value silently dropped.
 */
export function unusedValueIssues(supplied: SuppliedValues, declared: ReadonlySet<string>): InputIssue[] {
  const known = [...declared].sort();
  const out: InputIssue[] = [];
  for (const [name, { origin }] of supplied) {
    if (declared.has(name)) continue;
    const { label: _label, ...at } = origin;
    const given = origin.file === "--var" ? `--var ${name}` : `${name} (in the var file)`;
    out.push({
      ...at,
      message: `${given}: no experiment declares a parameter ${name} (declared: ${known.join(", ") || "none"})${didYouMean(name, known)}`,
    });
  }
  return out;
}

/** A supplied value for a parameter a game day's matrix varies: which one wins would be a guess. */
export function matrixConflictIssues(
  supplied: SuppliedValues,
  axes: { name: string; gameDay: string }[],
): InputIssue[] {
  const out: InputIssue[] = [];
  const seen = new Set<string>();
  for (const { name, gameDay } of axes) {
    const given = supplied.get(name);
    if (!given || seen.has(name)) continue;
    seen.add(name);
    const { label: _label, ...at } = given.origin;
    out.push({
      ...at,
      message: `${name} is a matrix axis of ${gameDay}: each run takes its value from the matrix; drop it here or from the matrix`,
    });
  }
  return out;
}

/**
 * What a command's files declare and which parameters a matrix varies, gathered file by file,
 * then checked against the supplied values: one declared nowhere, or one a matrix also sets.
 */
export class ParameterUse {
  private readonly declared = new Set<string>();
  private readonly axes: { name: string; gameDay: string }[] = [];

  declare(names: Iterable<string>): void {
    for (const name of names) this.declared.add(name);
  }

  /** The axes one run of `gameDay`'s matrix sets. */
  matrix(names: Iterable<string>, gameDay: string): void {
    for (const name of names) this.axes.push({ name, gameDay });
  }

  issues(supplied: SuppliedValues): InputIssue[] {
    return [...unusedValueIssues(supplied, this.declared), ...matrixConflictIssues(supplied, this.axes)];
  }
}
