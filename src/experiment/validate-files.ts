import { existsSync } from "node:fs";
import { loadDrillText } from "../drill/drill-loader.js";
import { type InputIssue, ValidationError } from "../errors/gameday-error.js";
import { gameDayNotifyIssues } from "../targets/notify-selection.js";
import {
  type LoadedTargets,
  loadTargets,
  loadTargetsText,
  targetsFilePath,
} from "../targets/targets-loader.js";
import { describeTelemetry } from "../targets/telemetry-credentials.js";
import { gameDayRuns } from "./expand-game-days.js";
import {
  type LoadExperimentOptions,
  type LoadExperimentTextOptions,
  loadExperimentText,
  parseExperimentText,
} from "./experiment-loader.js";
import { locatedWarnings } from "./experiment-warnings.js";
import type { MatrixRun } from "./game-day-matrix.js";
import { declaredKind, loadGameDayText } from "./gameday-loader.js";
import { ParameterUse, type SuppliedValues } from "./parameter-inputs.js";
import { readInputFile } from "./read-input.js";
import { declaredParameters } from "./substitute-parameters.js";
import { targetReferenceIssues } from "./target-references.js";
import { sortIssues } from "./validate-source.js";
import type { ParsedYaml, YamlSource } from "./yaml-source.js";

export interface ValidateFilesOptions extends Omit<LoadExperimentOptions, "targets"> {
  /** The targets file; without it, $GAMEDAY_TARGETS, else ./targets.yaml when that file exists. */
  targetsFile?: string | undefined;
  /** Already loaded targets (they win over targetsFile). */
  targets?: LoadedTargets | undefined;
  /**
   * Also accept Targets files (`gameday validate`); without it a Targets file is "not an
   * Experiment file", since callers such as enqueue need something to run.
   */
  anyKind?: boolean | undefined;
  /**
   * Also check what each experiment names in its target (proxies, namespaces, contexts, scrape
   * targets, Prometheus) against the targets file, as `gameday validate` does; a run's preflight
   * checks the same against the live environment.
   */
  references?: boolean | undefined;
  /** Values from --var and --var-file; one no file declares is an issue of its own. */
  supplied?: SuppliedValues | undefined;
}

export interface FileValidation {
  file: string;
  ok: boolean;
  issues: InputIssue[];
  /** Legal but suspicious (see experiment-warnings.ts): reported, never a failure. */
  warnings: InputIssue[];
  /** What a valid file sets up that a reader should see (a Targets file's telemetry receiver). */
  notes?: string[] | undefined;
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
  return targets ? { targets } : { broken: { file, ok: false, issues, warnings: [] } };
}

/** What spec.target names in the loaded targets, when it names one literally. */
function namedTarget(source: YamlSource, targets: LoadedTargets | undefined) {
  const name = source.doc.getIn(["spec", "target"]);
  if (!targets || typeof name !== "string" || !Object.hasOwn(targets.targets.targets, name)) return undefined;
  const target = targets.targets.targets[name];
  return target ? { name, target } : undefined;
}

/** What an experiment names in its target, checked against the targets file (see target-references.ts). */
function referenceIssues(source: YamlSource | undefined, targets: LoadedTargets | undefined): InputIssue[] {
  const named = source ? namedTarget(source, targets) : undefined;
  return source && named ? targetReferenceIssues(source, named.target, named.name) : [];
}

/**
 * One experiment: schema and cross-field errors from the loader and `references` (its target
 * references, the same for every combination of a matrix: found once, before any load), all in
 * one ValidationError; else its warnings.
 */
function validateExperiment(
  text: string,
  file: string,
  loadOptions: LoadExperimentTextOptions & { parsed: ParsedYaml },
  references: InputIssue[],
): InputIssue[] {
  let loaded: ReturnType<typeof loadExperimentText> | undefined;
  const issues: InputIssue[] = [...references];
  try {
    loaded = loadExperimentText(text, file, loadOptions);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    issues.push(...error.issues);
  }
  if (issues.length || !loaded) throw new ValidationError(sortIssues(issues));
  const source = loadOptions.parsed.source;
  return source ? locatedWarnings(loaded.experiment, source) : [];
}

/** `gameday validate`: every file's issues (Experiment, GameDay or Targets, each by its own schema), in the order given; files are read in parallel. */
export async function validateFiles(
  files: string[],
  opts: ValidateFilesOptions = {},
): Promise<FileValidation[]> {
  const { targets, broken } = await targetsFor(opts);
  const supplied = opts.supplied ?? new Map();
  const loadOptions = { vars: opts.vars, env: opts.env, targets };
  const use = new ParameterUse();
  // One experiment, once per distinct matrix combination it takes (issues of the combinations
  // together), from one parse: a file a game day lists twice is not checked twice.
  const checked = new Map<string, { issues: InputIssue[]; warnings: InputIssue[] }>();
  const validateRuns = (text: string, file: string, runs: (MatrixRun | undefined)[]): InputIssue[] => {
    const parsed = parseExperimentText(text, file);
    use.declare(parsed.source ? declaredParameters(parsed.source).names : []);
    const references = opts.references ? referenceIssues(parsed.source, targets) : [];
    const issues: InputIssue[] = [];
    let warnings: InputIssue[] = [];
    for (const run of runs) {
      const key = `${file}\0${text.length}\0${run?.label ?? ""}`;
      let result = checked.get(key);
      if (!result) {
        result = { issues: [], warnings: [] };
        const parameters = new Map([...supplied, ...(run?.values ?? [])]);
        const options = { ...loadOptions, parameters, parsed };
        try {
          result.warnings = validateExperiment(text, file, options, references);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          result.issues = error.issues;
        }
        checked.set(key, result);
      }
      issues.push(...result.issues);
      warnings = result.warnings;
    }
    if (issues.length) throw new ValidationError(sortIssues(issues));
    return warnings;
  };
  // A member of a game day is validated as an experiment only: game days never nest (the game day's
  // own check refuses one that lists another), so validate, plan and run agree and nothing recurses.
  const validateOne = async (file: string, member?: (MatrixRun | undefined)[]): Promise<FileValidation[]> => {
    let listed: { file: string; runs: (MatrixRun | undefined)[] }[] = [];
    let warnings: InputIssue[] = [];
    const notes: string[] = [];
    const issues = await issuesOf(async () => {
      const text = await readInputFile(file, "experiment file");
      // Each kind by its own schema; a game day is valid when it and every experiment it lists are.
      const kind = member ? undefined : declaredKind(text); // a member is an experiment: no second parse
      if (!member && kind === "GameDay") {
        const loaded = loadGameDayText(text, file);
        const expanded = gameDayRuns(text, loaded);
        // A matrix with issues is not expanded: its members are checked once each, with their defaults.
        const bad = expanded.issues.length > 0;
        listed = loaded.experimentFiles.map((f) => ({
          file: f,
          runs: bad ? [undefined] : expanded.runs.filter((r) => r.file === f).map((r) => r.matrix),
        }));
        for (const run of expanded.runs) use.matrix(run.matrix?.values.keys() ?? [], file);
        // A notifier the game day selects must be one its targets configure.
        const notify = targets
          ? gameDayNotifyIssues(file, text, loaded.gameDay.spec.notify, loaded.experimentFiles, targets)
          : [];
        if (expanded.issues.length || notify.length)
          throw new ValidationError([...expanded.issues, ...notify]);
      } else if (!member && kind === "Targets" && opts.anyKind) {
        const telemetry = loadTargetsText(text, file).targets.telemetry;
        if (telemetry) notes.push(`telemetry: ${describeTelemetry(telemetry.otlp)}`);
      } else if (!member && kind === "Drill") loadDrillText(text, file, targets ? { targets } : {});
      else warnings = validateRuns(text, file, member ?? [undefined]);
    });
    const members = await Promise.all(listed.map((m) => validateOne(m.file, m.runs)));
    const noted = notes.length ? { notes } : {};
    return [{ file, ok: issues.length === 0, issues, warnings, ...noted }, ...members.flat()];
  };
  const results = (await Promise.all(files.map((f) => validateOne(f)))).flat();
  const valueIssues = use.issues(supplied);
  const byFile = new Map<string, InputIssue[]>();
  for (const issue of valueIssues) byFile.set(issue.file, [...(byFile.get(issue.file) ?? []), issue]);
  const values = [...byFile].map(([file, issues]) => ({ file, ok: false, issues, warnings: [] }));
  return [...(broken ? [broken] : []), ...results, ...values];
}
