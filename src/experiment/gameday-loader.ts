import { existsSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { type InputIssue, ValidationError } from "../errors/gameday-error.js";
import { type GameDay, gameDaySchema } from "./gameday-schema.js";
import { checkInputText, readInputFileSync } from "./read-input.js";
import { sortIssues, validateSource } from "./validate-source.js";
import { locateValue } from "./yaml-locator.js";
import { parseYamlSource, peekYamlSource } from "./yaml-source.js";

export interface LoadedGameDay {
  file: string;
  gameDay: GameDay;
  /** The experiment files, resolved against the game day file's folder, in order. */
  experimentFiles: string[];
}

const EXPECTED = "a GameDay document (apiVersion: gameday/v1, kind: GameDay, metadata, spec.experiments)";

/** The `kind` a YAML file declares (undefined when unreadable or absent): decides how `run` treats it. */
export function declaredKind(text: string): string | undefined {
  const kind = peekYamlSource(text).source?.doc.get("kind");
  return typeof kind === "string" ? kind : undefined;
}

/** metadata.name as written, for labels before (or without) validation. */
export function declaredName(text: string): string | undefined {
  const name = peekYamlSource(text).source?.doc.getIn(["metadata", "name"]);
  return typeof name === "string" ? name : undefined;
}

/** The nearest folder at or above `dir` holding `.git`: a game day may list any file of its repository. */
function repositoryRoot(dir: string): string | undefined {
  for (let here = dir; ; here = dirname(here)) {
    if (existsSync(join(here, ".git"))) return here;
    if (dirname(here) === here) return undefined;
  }
}

const inside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
};

/**
 * Why a listed member cannot be part of this game day, or undefined: it must exist, stay inside the
 * game day's folder or its repository (after symlinks), be a regular file, and be an experiment:
 * game days do not nest, so no include can cycle or double at each level. Never says what the
 * file contains.
 */
interface GameDayHome {
  file: string;
  /** The game day's folder and repository, and the game day itself, after symlinks: the same for every member. */
  home: string;
  repo: string | undefined;
  self: string;
}

function homeOf(gameDayFile: string): GameDayHome {
  const home = realpathSync(dirname(gameDayFile));
  return { file: gameDayFile, home, repo: repositoryRoot(home), self: realpathSync(gameDayFile) };
}

function memberProblem(where: GameDayHome, member: string): string | undefined {
  const { file: gameDayFile, home, repo, self } = where;
  let real: string;
  try {
    real = realpathSync(member);
  } catch {
    return `no such experiment file: ${member}`;
  }
  if (!inside(home, real) && !(repo && inside(repo, real)))
    return `the experiment file ${member} is outside the game day's folder${repo ? " and its repository" : ""} (${repo ?? home}): a game day lists only files inside it`;
  if (!statSync(real).isFile()) return `the experiment file ${member} is not a regular file`;
  if (real === self)
    return `the game day lists itself (${basename(gameDayFile)} -> ${basename(gameDayFile)}): a game day lists experiment files`;
  let text: string;
  try {
    text = readInputFileSync(real, "experiment file");
  } catch {
    return undefined; // unreadable, oversized, not UTF-8: the experiment loader says so, with the reason
  }
  if (declaredKind(text) === "GameDay")
    return `${member} is a game day (${basename(gameDayFile)} -> ${basename(member)}): game days do not nest; list its experiment files instead`;
  return undefined;
}

/** Validates a GameDay file; every listed experiment file must be an experiment inside its tree (an issue at its line). */
export function loadGameDayText(text: string, file: string): LoadedGameDay {
  checkInputText(text, file, "game day file");
  const parsed = parseYamlSource(text, file, EXPECTED);
  const { source } = parsed;
  if (!source) throw new ValidationError(sortIssues(parsed.issues));
  const result = validateSource(source, gameDaySchema, "GameDay");
  const issues: InputIssue[] = [...parsed.issues, ...(result.ok ? [] : result.issues)];
  if (!result.ok) throw new ValidationError(sortIssues(issues));
  const experimentFiles = result.value.spec.experiments.map((p) => resolve(dirname(file), p));
  const where = homeOf(file);
  experimentFiles.forEach((path, i) => {
    const message = memberProblem(where, path);
    if (message === undefined) return;
    const { line, column } = locateValue(source, ["spec", "experiments", i]);
    issues.push({ file, line, column, path: `spec.experiments[${i}]`, message });
  });
  if (issues.length) throw new ValidationError(sortIssues(issues));
  return { file, gameDay: result.value, experimentFiles };
}
