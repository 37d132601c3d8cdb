import { type InputIssue, ValidationError } from "../errors/gameday-error.js";
import type { PlannedExperiment } from "../experiment/expand-game-days.js";
import { loadExperimentText, parseExperimentText } from "../experiment/experiment-loader.js";
import { declaredParameterNames } from "../experiment/game-day-matrix.js";
import {
  matrixConflictIssues,
  type SuppliedValues,
  unusedValueIssues,
} from "../experiment/parameter-inputs.js";
import type { ParameterValue } from "../experiment/parameter-schema.js";
import { readInputFile } from "../experiment/read-input.js";
import type { Experiment } from "../experiment/schema.js";
import type { ParsedYaml } from "../experiment/yaml-source.js";
import { loadTargets, resolveTarget } from "../targets/targets-loader.js";
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
  const declared = new Set<string>();
  const axes: { name: string; gameDay: string }[] = [];
  // A matrix lists one file once per combination: read and parse it once.
  const read = new Map<string, { text: string; parsed: ParsedYaml }>();
  const readOnce = async (file: string) => {
    const known = read.get(file);
    if (known) return known;
    const text = await readInputFile(file, "experiment file");
    for (const name of declaredParameterNames(text)) declared.add(name);
    const entry = { text, parsed: parseExperimentText(text, file) };
    read.set(file, entry);
    return entry;
  };
  for (const planned of files) {
    const { file, matrix, suite } = typeof planned === "string" ? { file: planned } : planned;
    try {
      const { text, parsed } = await readOnce(file);
      for (const name of matrix?.values.keys() ?? []) axes.push({ name, gameDay: suite?.file ?? file });
      const parameters = new Map([...supplied, ...(matrix?.values ?? [])]);
      const loaded = loadExperimentText(text, file, { targets, parameters, parsed });
      const targetName = loaded.experiment.spec.target;
      const target = loaded.target ?? resolveTarget(targets.targets, targetName, file);
      const hasParameters = Object.keys(loaded.parameters).length > 0;
      out.push({
        file,
        experiment: loaded.experiment,
        targetName,
        target,
        installation: targets.targets.installation,
        ...(hasParameters ? { parameters: loaded.parameters } : {}),
        ...(matrix ? { runName: `${loaded.experiment.metadata.name}[${matrix.label}]` } : {}),
      });
    } catch (err) {
      if (err instanceof ValidationError) for (const issue of err.issues) issues.push(issue);
      else throw err;
    }
  }
  issues.push(...unusedValueIssues(supplied, declared), ...matrixConflictIssues(supplied, axes));
  if (issues.length) throw new ValidationError(dedupe(issues));
  return out;
}

/** A member run once per combination reports its own file's issues once. */
function dedupe(issues: InputIssue[]): InputIssue[] {
  const byKey = new Map<string, InputIssue>();
  for (const i of issues) byKey.set(`${i.file}:${i.line}:${i.column}:${i.path}:${i.message}`, i);
  return [...byKey.values()];
}
