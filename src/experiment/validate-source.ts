import type { z } from "zod";
import type { InputIssue } from "../errors/gameday-error.js";
import { describeFound } from "./issue-messages.js";
import { schemaIssues } from "./schema-issues.js";
import { locateValue } from "./yaml-locator.js";
import type { YamlSource } from "./yaml-source.js";

export type Validated<T> =
  | { ok: true; value: T; raw: unknown }
  | { ok: false; issues: InputIssue[]; raw: unknown };

/** Issues in reading order, each once. */
export function sortIssues(issues: InputIssue[]): InputIssue[] {
  const seen = new Set<string>();
  return issues
    .filter((i) => {
      const key = `${i.file}:${i.line}:${i.column}:${i.path}:${i.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/**
 * Validates a parsed YAML file against `schema`. `skipPaths` are fields that already have an
 * issue (an undefined variable), so the schema's complaint about the same value is dropped.
 */
export function validateSource<S extends z.ZodType>(
  source: YamlSource,
  schema: S,
  kind: string,
  skipPaths: ReadonlySet<string> = new Set(),
): Validated<z.output<S>> {
  let raw: unknown;
  try {
    raw = source.doc.toJS();
  } catch (error) {
    // For instance an alias bomb: yaml refuses to expand it.
    const message = `invalid YAML: ${(error as Error).message}`;
    return {
      ok: false,
      raw: undefined,
      issues: [{ file: source.file, line: 1, column: 1, path: "", message }],
    };
  }
  // Another kind of file (a targets file given as an experiment) would bury this one fact under
  // a dozen unknown-field issues: report only it.
  const writtenKind = (raw as Record<string, unknown> | null)?.kind;
  if (typeof raw === "object" && raw !== null && typeof writtenKind === "string" && writtenKind !== kind) {
    const { line, column } = locateValue(source, ["kind"]);
    const message = `expected kind "${kind}", found ${describeFound(writtenKind)}: this is not ${kind === "Experiment" ? "an" : "a"} ${kind} file`;
    return { ok: false, raw, issues: [{ file: source.file, line, column, path: "kind", message }] };
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data, raw };
  const issues = schemaIssues(result.error, source, raw, schema).filter(
    (i) =>
      ![...skipPaths].some((p) => i.path === p || i.path.startsWith(`${p}.`) || i.path.startsWith(`${p}[`)),
  );
  return { ok: false, raw, issues };
}
