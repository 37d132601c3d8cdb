import { type InputIssue, ValidationError } from "../errors/gameday-error.js";
import { nearest } from "../experiment/did-you-mean.js";
import { readInputFile } from "../experiment/read-input.js";
import { sortIssues, validateSource } from "../experiment/validate-source.js";
import { parseYamlSource } from "../experiment/yaml-source.js";
import { type Target, type TargetsFile, targetsFileSchema } from "./targets-schema.js";

export interface LoadedTargets {
  file: string;
  targets: TargetsFile;
}

const EXPECTED = "a Targets document (apiVersion: gameday/v1, kind: Targets, targets: ...)";

/** The targets file to use and where that choice came from: the argument, $GAMEDAY_TARGETS, or ./targets.yaml. */
export function targetsFilePath(file?: string): { file: string; origin: "argument" | "env" | "default" } {
  if (file) return { file, origin: "argument" };
  const fromEnv = process.env.GAMEDAY_TARGETS;
  if (fromEnv) return { file: fromEnv, origin: "env" };
  return { file: "targets.yaml", origin: "default" };
}

const ORIGIN_NOTE = {
  argument: "",
  env: " (from $GAMEDAY_TARGETS)",
  default: " (the default; set $GAMEDAY_TARGETS or pass --targets to use another)",
};

/** Parses and validates targets text; throws a ValidationError listing every issue. */
export function loadTargetsText(text: string, file: string): LoadedTargets {
  const parsed = parseYamlSource(text, file, EXPECTED);
  if (!parsed.source) throw new ValidationError(sortIssues(parsed.issues));
  const result = validateSource(parsed.source, targetsFileSchema, "Targets");
  const issues = [...parsed.issues, ...(result.ok ? [] : result.issues)];
  if (!result.ok || issues.length > 0) throw new ValidationError(sortIssues(issues));
  return { file, targets: result.value };
}

export async function loadTargets(file?: string): Promise<LoadedTargets> {
  const { file: path, origin } = targetsFilePath(file);
  const text = await readInputFile(path, `targets file${ORIGIN_NOTE[origin]}`);
  return loadTargetsText(text, path);
}

/** "unknown target ..." with the known ones and the likely intended one, for any caller's issue. */
export function unknownTargetMessage(name: string, targets: TargetsFile, targetsFile?: string): string {
  const known = Object.keys(targets.targets);
  const guess = nearest(name, known);
  const list = known.length ? `expected one of ${known.join(", ")}` : "the targets file defines none";
  const where = targetsFile ? ` (targets file: ${targetsFile})` : "";
  return `unknown target "${name}": ${list}${guess ? `; did you mean "${guess}"?` : ""}${where}`;
}

/**
 * The named target environment, or a ValidationError (exit 2) naming the known ones. `file` is
 * where the name was written (an experiment, or the targets file itself); pass the loaded
 * targets to have the message name the targets file too.
 */
export function resolveTarget(targets: TargetsFile | LoadedTargets, name: string, file: string): Target {
  const loaded = "file" in targets ? targets : undefined;
  const all = loaded ? loaded.targets : (targets as TargetsFile);
  const target = Object.hasOwn(all.targets, name) ? all.targets[name] : undefined;
  if (target) return target;
  const issue: InputIssue = { file, path: "target", message: unknownTargetMessage(name, all, loaded?.file) };
  throw new ValidationError([issue]);
}
