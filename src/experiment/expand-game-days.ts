import { ValidationError } from "../errors/gameday-error.js";
import { declaredMatrixMember, expandMatrix, type MatrixMember, type MatrixRun } from "./game-day-matrix.js";
import { declaredKind, type LoadedGameDay, loadGameDayText } from "./gameday-loader.js";
import { readInputFile, readInputFileSync } from "./read-input.js";
import { parseYamlSource } from "./yaml-source.js";

export interface SuiteMembership {
  name: string;
  file: string;
  continueOnFailure: boolean;
  /** The game day's choice among its targets' notifiers; undefined: all of them. */
  notify?: readonly string[] | undefined;
}

/** One experiment file to run, and the game day it came from (if any). */
export interface PlannedExperiment {
  file: string;
  suite?: SuiteMembership | undefined;
  /** The game day's matrix combination this run takes (its values and its name's suffix). */
  matrix?: MatrixRun | undefined;
}

/** A game day's members, each once per combination of the matrix axes it declares. */
export function gameDayRuns(
  text: string,
  loaded: LoadedGameDay,
): {
  runs: { file: string; matrix?: MatrixRun }[];
  issues: ValidationError["issues"];
} {
  const matrix = loaded.gameDay.spec.matrix;
  const source = matrix ? parseYamlSource(text, loaded.file, "").source : undefined;
  if (!matrix || !source) return { runs: loaded.experimentFiles.map((file) => ({ file })), issues: [] };
  const members = loaded.experimentFiles.map((file): MatrixMember => {
    try {
      return declaredMatrixMember(readInputFileSync(file, "experiment file"), file);
    } catch {
      // unreadable: the experiment loader says why, at the file itself
      return { file, declared: [], params: {} };
    }
  });
  const { runs, issues } = expandMatrix(source, matrix, members);
  return {
    runs: members.flatMap((m, i) =>
      (runs[i] ?? [undefined]).map((r) => (r ? { file: m.file, matrix: r } : { file: m.file })),
    ),
    issues,
  };
}

/**
 * Replaces every `kind: GameDay` file by its experiments, in order; other files pass through
 * (the experiment loader reports them). Issues of all game day files come together.
 */
export async function expandGameDays(files: string[]): Promise<PlannedExperiment[]> {
  const out: PlannedExperiment[] = [];
  const issues: ValidationError["issues"] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readInputFile(file, "experiment file");
    } catch {
      out.push({ file });
      continue;
    }
    if (declaredKind(text) !== "GameDay") {
      out.push({ file });
      continue;
    }
    try {
      const loaded = loadGameDayText(text, file); // already read above
      const { gameDay } = loaded;
      const suite = {
        name: gameDay.metadata.name,
        file,
        continueOnFailure: gameDay.spec.continueOnFailure,
        notify: gameDay.spec.notify,
      };
      const expanded = gameDayRuns(text, loaded);
      for (const issue of expanded.issues) issues.push(issue);
      for (const run of expanded.runs) out.push({ ...run, suite });
    } catch (err) {
      if (err instanceof ValidationError) for (const issue of err.issues) issues.push(issue);
      else throw err;
    }
  }
  if (issues.length) throw new ValidationError(issues);
  return out;
}

/**
 * True when an earlier experiment of the same stop-at-first-failure game day did not pass.
 * failFast (`run --fail-fast`) stops every game day there, whatever its continueOnFailure says.
 */
export function suiteStopped(
  planned: PlannedExperiment,
  done: { suite?: SuiteMembership | undefined; exitCode: number }[],
  failFast = false,
): boolean {
  const suite = planned.suite;
  if (!suite || (suite.continueOnFailure && !failFast)) return false;
  return done.some((d) => d.suite?.file === suite.file && d.exitCode !== 0);
}
