import { basename, resolve } from "node:path";
import { ValidationError } from "../errors/gameday-error.js";
import { matrixNotExpanded } from "../experiment/game-day-matrix.js";
import { declaredKind, declaredName, loadGameDayText } from "../experiment/gameday-loader.js";
import { readInputFile } from "../experiment/read-input.js";
import { validateFiles } from "../experiment/validate-files.js";
import { gameDayNotifyIssues } from "../targets/notify-selection.js";
import { loadTargets } from "../targets/targets-loader.js";
import type { JobPayload } from "./job-payload.js";

/**
 * A job payload from a GameDay or Experiment file, validated exactly as `gameday validate` does,
 * so a bad file is refused here, with the same located errors, and never reaches a worker.
 */
export async function buildPayload(
  path: string,
  opts: { targetsFile?: string | undefined; schedule?: string | undefined } = {},
): Promise<JobPayload> {
  const text = await readInputFile(path, "experiment or game day file");
  const suite = declaredKind(text) === "GameDay" ? loadGameDayText(text, path) : undefined;
  const matrix = suite ? matrixNotExpanded(text, path, "the queue") : undefined;
  if (matrix) throw new ValidationError([matrix]);
  // Errors name the files as given; the payload names them absolutely, for records and reports.
  const files = suite ? suite.experimentFiles : [path];
  const file = resolve(path);
  const targets = await loadTargets(opts.targetsFile);
  const results = await validateFiles(files, { targets });
  const notify = suite?.gameDay.spec.notify;
  const issues = [
    ...(suite ? gameDayNotifyIssues(path, text, notify, files, targets) : []),
    ...results.flatMap((r) => r.issues),
  ];
  if (issues.length) throw new ValidationError(issues);
  const experiments = await Promise.all(
    files.map(async (f) => ({ file: resolve(f), text: await readInputFile(f, "experiment file") })),
  );
  const name = suite?.gameDay.metadata.name ?? declaredName(experiments[0]?.text ?? "") ?? basename(file);
  return {
    v: 1,
    name,
    kind: suite ? "suite" : "experiment",
    file,
    continueOnFailure: suite?.gameDay.spec.continueOnFailure ?? false,
    experiments,
    ...(notify ? { notify: [...notify] } : {}),
    ...(opts.schedule ? { schedule: opts.schedule } : {}),
  };
}
