import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type InputIssue, ValidationError } from "../errors/gameday-error.js";
import { type GameDay, gameDaySchema } from "./gameday-schema.js";
import { sortIssues, validateSource } from "./validate-source.js";
import { locateValue } from "./yaml-locator.js";
import { parseYamlSource } from "./yaml-source.js";

export interface LoadedGameDay {
  file: string;
  gameDay: GameDay;
  /** The experiment files, resolved against the game day file's folder, in order. */
  experimentFiles: string[];
}

const EXPECTED = "a GameDay document (apiVersion: gameday/v1, kind: GameDay, metadata, spec.experiments)";

/** The `kind` a YAML file declares (undefined when unreadable or absent): decides how `run` treats it. */
export function declaredKind(text: string): string | undefined {
  const parsed = parseYamlSource(text, "", "");
  const kind = parsed.source?.doc.get("kind");
  return typeof kind === "string" ? kind : undefined;
}

/** metadata.name as written, for labels before (or without) validation. */
export function declaredName(text: string): string | undefined {
  const name = parseYamlSource(text, "", "").source?.doc.getIn(["metadata", "name"]);
  return typeof name === "string" ? name : undefined;
}

/** Validates a GameDay file; a listed experiment file that does not exist is an issue at its line. */
export function loadGameDayText(text: string, file: string): LoadedGameDay {
  const parsed = parseYamlSource(text, file, EXPECTED);
  const { source } = parsed;
  if (!source) throw new ValidationError(sortIssues(parsed.issues));
  const result = validateSource(source, gameDaySchema, "GameDay");
  const issues: InputIssue[] = [...parsed.issues, ...(result.ok ? [] : result.issues)];
  if (!result.ok) throw new ValidationError(sortIssues(issues));
  const experimentFiles = result.value.spec.experiments.map((p) => resolve(dirname(file), p));
  experimentFiles.forEach((path, i) => {
    if (existsSync(path)) return;
    const { line, column } = locateValue(source, ["spec", "experiments", i]);
    issues.push({
      file,
      line,
      column,
      path: `spec.experiments[${i}]`,
      message: `no such experiment file: ${path}`,
    });
  });
  if (issues.length) throw new ValidationError(sortIssues(issues));
  return { file, gameDay: result.value, experimentFiles };
}
