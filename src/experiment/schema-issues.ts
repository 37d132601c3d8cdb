import type { z } from "zod";
import type { InputIssue } from "../errors/gameday-error.js";
import { issueMessage, unknownFieldMessage } from "./issue-messages.js";
import { allowedKeys } from "./schema-keys.js";
import { formatPath, locateKey, locateValue } from "./yaml-locator.js";
import type { YamlSource } from "./yaml-source.js";

/** More than ISSUE_LIMITS.perFile, so a few duplicates merged later still leave a full page. */
const SCHEMA_ISSUE_CAP = 200;

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let here = raw;
  for (const segment of path) {
    if (typeof here !== "object" || here === null) return undefined;
    here = (here as Record<PropertyKey, unknown>)[segment];
  }
  return here;
}

/**
 * Turns zod's issues into located InputIssues: a wrong value points at the value, an unknown
 * field at its key (one issue per key), a missing field at the object that should hold it.
 */
export function schemaIssues(
  error: z.ZodError,
  source: YamlSource,
  raw: unknown,
  schema: z.ZodType,
): InputIssue[] {
  const out: InputIssue[] = [];
  // Locating an issue walks the document: past the cap, only count (a file can hold 100,000 issues).
  const shown = error.issues.slice(0, SCHEMA_ISSUE_CAP);
  const rest = error.issues.length - shown.length;
  if (rest > 0) out.push({ file: source.file, path: "", message: "", omitted: rest });
  for (const issue of shown) {
    if (issue.code === "unrecognized_keys") {
      const allowed = allowedKeys(schema, issue.path, raw);
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const { line, column } = locateKey(source, path);
        out.push({
          file: source.file,
          line,
          column,
          path: formatPath(path),
          message: unknownFieldMessage(key, allowed),
        });
      }
      continue;
    }
    const { line, column, exists } = locateValue(source, issue.path);
    const last = issue.path.at(-1);
    const field = typeof last === "string" ? last : "";
    const message = issueMessage(issue, valueAt(raw, issue.path), exists, field);
    out.push({ file: source.file, line, column, path: formatPath(issue.path), message });
  }
  return out;
}
