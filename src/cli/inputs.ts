import { ValidationError } from "../errors/gameday-error.js";
import { loadExperiment } from "../experiment/experiment-loader.js";
import type { Experiment } from "../experiment/schema.js";
import { loadTargets, resolveTarget } from "../targets/targets-loader.js";
import type { Target } from "../targets/targets-schema.js";

export interface ResolvedInput {
  file: string;
  experiment: Experiment;
  targetName: string;
  target: Target;
  /** The targets file's installation id, if it sets one. */
  installation?: string | undefined;
}

/** Loads the targets file once, then every experiment against it; all issues of all files together. */
export async function loadInputs(files: string[], targetsFile?: string): Promise<ResolvedInput[]> {
  const targets = await loadTargets(targetsFile);
  const out: ResolvedInput[] = [];
  const issues: ValidationError["issues"] = [];
  for (const file of files) {
    try {
      const loaded = await loadExperiment(file, { targets });
      const targetName = loaded.experiment.spec.target;
      const target = loaded.target ?? resolveTarget(targets.targets, targetName, file);
      out.push({
        file,
        experiment: loaded.experiment,
        targetName,
        target,
        installation: targets.targets.installation,
      });
    } catch (err) {
      if (err instanceof ValidationError) for (const issue of err.issues) issues.push(issue);
      else throw err;
    }
  }
  if (issues.length) throw new ValidationError(issues);
  return out;
}
