import { existsSync } from "node:fs";
import { type InputIssue, ValidationError } from "../errors/gameday-error.js";
import { type LoadedTargets, loadTargets, targetsFilePath } from "../targets/targets-loader.js";
import { type LoadExperimentOptions, loadExperimentText } from "./experiment-loader.js";
import { declaredKind, loadGameDayText } from "./gameday-loader.js";
import { readInputFile } from "./read-input.js";

export interface ValidateFilesOptions extends Omit<LoadExperimentOptions, "targets"> {
  /** The targets file; without it, $GAMEDAY_TARGETS, else ./targets.yaml when that file exists. */
  targetsFile?: string | undefined;
  /** Already loaded targets (they win over targetsFile). */
  targets?: LoadedTargets | undefined;
}

export interface FileValidation {
  file: string;
  ok: boolean;
  issues: InputIssue[];
}

/** Runs `load` and turns a ValidationError into its issues; anything else is a bug and propagates. */
async function issuesOf(load: () => unknown): Promise<InputIssue[]> {
  try {
    await load();
    return [];
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
}

/**
 * The targets, loaded once for all files. A broken targets file is reported as one more invalid
 * file; a missing ./targets.yaml that nobody asked for is fine, most files need no target vars.
 */
async function targetsFor(
  opts: ValidateFilesOptions,
): Promise<{ targets?: LoadedTargets; broken?: FileValidation }> {
  if (opts.targets) return { targets: opts.targets };
  const { file, origin } = targetsFilePath(opts.targetsFile);
  if (origin === "default" && !existsSync(file)) return {};
  let targets: LoadedTargets | undefined;
  const issues = await issuesOf(async () => {
    targets = await loadTargets(opts.targetsFile);
  });
  return targets ? { targets } : { broken: { file, ok: false, issues } };
}

/** `gameday validate`: every file's issues, in the order given; files are read in parallel. */
export async function validateFiles(
  files: string[],
  opts: ValidateFilesOptions = {},
): Promise<FileValidation[]> {
  const { targets, broken } = await targetsFor(opts);
  const loadOptions = { vars: opts.vars, env: opts.env, targets };
  // A member of a game day is validated as an experiment only: game days never nest (the game day's
  // own check refuses one that lists another), so validate, plan and run agree and nothing recurses.
  const validateOne = async (file: string, member = false): Promise<FileValidation[]> => {
    let listed: string[] = [];
    const issues = await issuesOf(async () => {
      const text = await readInputFile(file, "experiment file");
      // A game day is valid when it and every experiment it lists are.
      if (!member && declaredKind(text) === "GameDay") listed = loadGameDayText(text, file).experimentFiles;
      else loadExperimentText(text, file, loadOptions);
    });
    const members = await Promise.all(listed.map((f) => validateOne(f, true)));
    return [{ file, ok: issues.length === 0, issues }, ...members.flat()];
  };
  const results = (await Promise.all(files.map((f) => validateOne(f)))).flat();
  return broken ? [broken, ...results] : results;
}
