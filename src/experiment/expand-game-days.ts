import { ValidationError } from "../errors/gameday-error.js";
import { declaredKind, loadGameDayText } from "./gameday-loader.js";
import { readInputFile } from "./read-input.js";

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
      const { gameDay, experimentFiles } = loadGameDayText(text, file); // already read above
      const suite = {
        name: gameDay.metadata.name,
        file,
        continueOnFailure: gameDay.spec.continueOnFailure,
        notify: gameDay.spec.notify,
      };
      for (const f of experimentFiles) out.push({ file: f, suite });
    } catch (err) {
      if (err instanceof ValidationError) for (const issue of err.issues) issues.push(issue);
      else throw err;
    }
  }
  if (issues.length) throw new ValidationError(issues);
  return out;
}

/** True when an earlier experiment of the same stop-at-first-failure game day did not pass. */
export function suiteStopped(
  planned: PlannedExperiment,
  done: { suite?: SuiteMembership | undefined; exitCode: number }[],
): boolean {
  const suite = planned.suite;
  if (!suite || suite.continueOnFailure) return false;
  return done.some((d) => d.suite?.file === suite.file && d.exitCode !== 0);
}
