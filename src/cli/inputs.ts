import { type InputIssue, ValidationError } from "../errors/gameday-error.js";
import type { PlannedExperiment } from "../experiment/expand-game-days.js";
import {
  type LoadedExperiment,
  loadExperimentText,
  parseExperimentText,
} from "../experiment/experiment-loader.js";
import { declaredParameterNames } from "../experiment/game-day-matrix.js";
import { ParameterUse, type SuppliedValues } from "../experiment/parameter-inputs.js";
import type { ParameterValue } from "../experiment/parameter-schema.js";
import { readInputFile } from "../experiment/read-input.js";
import type { Experiment } from "../experiment/schema.js";
import type { ParsedYaml } from "../experiment/yaml-source.js";
import { type LoadedTargets, loadTargets, resolveTarget } from "../targets/targets-loader.js";
import type { Target } from "../targets/targets-schema.js";

export interface ResolvedInput {
  file: string;
  experiment: Experiment;
  targetName: string;
  target: Target;
  /** The targets file's installation id, if it sets one. */
  installation?: string | undefined;
  /** Every parameter's value as this run uses it; absent when the file declares none. */
  parameters?: Record<string, ParameterValue> | undefined;
  /** A matrix run's name, `payments-latency[latency=800ms,toxicity=0.5]`; the experiment's name otherwise. */
  runName?: string | undefined;
}

/**
 * One loaded experiment as a run takes it (inline or queued): its target from the loaded targets,
 * its parameter values when it declares any, and a matrix run's name.
 */
export function resolvedInput(
  loaded: LoadedExperiment,
  targets: LoadedTargets,
  runName?: string | undefined,
): ResolvedInput {
  const targetName = loaded.experiment.spec.target;
  const hasParameters = Object.keys(loaded.parameters).length > 0;
  return {
    file: loaded.file,
    experiment: loaded.experiment,
    targetName,
    target: loaded.target ?? resolveTarget(targets, targetName, loaded.file),
    installation: targets.targets.installation,
    ...(hasParameters ? { parameters: loaded.parameters } : {}),
    ...(runName ? { runName } : {}),
  };
}

/**
 * Loads the targets file once, then every experiment against it, each with its parameter values
 * (a matrix combination, --var-file and --var); all issues of all files together, including a
 * supplied value no file declares and one that a matrix also sets.
 */
export async function loadInputs(
  files: (string | PlannedExperiment)[],
  targetsFile?: string,
  supplied: SuppliedValues = new Map(),
): Promise<ResolvedInput[]> {
  const targets = await loadTargets(targetsFile);
  const out: ResolvedInput[] = [];
  const issues: InputIssue[] = [];
  const use = new ParameterUse();
  // A matrix lists one file once per combination: read and parse it once.
  const read = new Map<string, { text: string; parsed: ParsedYaml }>();
  const readOnce = async (file: string) => {
    const known = read.get(file);
    if (known) return known;
    const text = await readInputFile(file, "experiment file");
    use.declare(declaredParameterNames(text));
    const entry = { text, parsed: parseExperimentText(text, file) };
    read.set(file, entry);
    return entry;
  };
  for (const planned of files) {
    const { file, matrix, suite } = typeof planned === "string" ? { file: planned } : planned;
    try {
      const { text, parsed } = await readOnce(file);
      use.matrix(matrix?.values.keys() ?? [], suite?.file ?? file);
      const parameters = new Map([...supplied, ...(matrix?.values ?? [])]);
      const loaded = loadExperimentText(text, file, { targets, parameters, parsed });
      const runName = matrix ? `${loaded.experiment.metadata.name}[${matrix.label}]` : undefined;
      out.push(resolvedInput(loaded, targets, runName));
    } catch (err) {
      if (err instanceof ValidationError) for (const issue of err.issues) issues.push(issue);
      else throw err;
    }
  }
  issues.push(...use.issues(supplied));
  if (issues.length) throw new ValidationError(dedupe(issues));
  return out;
}

/** A member run once per combination reports its own file's issues once. */
function dedupe(issues: InputIssue[]): InputIssue[] {
  const byKey = new Map<string, InputIssue>();
  for (const i of issues) byKey.set(`${i.file}:${i.line}:${i.column}:${i.path}:${i.message}`, i);
  return [...byKey.values()];
}
