import { UnrecoverableError } from "bullmq";
import type { ResolvedInput } from "../cli/inputs.js";
import { formatIssue, ValidationError } from "../errors/gameday-error.js";
import { loadExperimentText } from "../experiment/experiment-loader.js";
import { loadTargetsText, resolveTarget } from "../targets/targets-loader.js";
import { type JobPayload, jobPayloadSchema } from "./job-payload.js";

/**
 * The worker's side of validation: a payload that is not a job, or files that no longer validate
 * here (another version, other variables), fail the job at once, without retries.
 */
export function loadPayload(data: unknown): { payload: JobPayload; inputs: ResolvedInput[] } {
  const parsed = jobPayloadSchema.safeParse(data);
  if (!parsed.success)
    throw new UnrecoverableError(
      `invalid job payload: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
    );
  const payload = parsed.data;
  try {
    if (!payload.targets) throw new UnrecoverableError("invalid job payload: no targets file");
    const targets = loadTargetsText(payload.targets.text, payload.targets.file);
    const inputs = payload.experiments.map(({ file, text }) => {
      const loaded = loadExperimentText(text, file, { targets });
      const targetName = loaded.experiment.spec.target;
      const target = loaded.target ?? resolveTarget(targets, targetName, file);
      return { file, experiment: loaded.experiment, targetName, target };
    });
    return { payload, inputs };
  } catch (err) {
    if (err instanceof ValidationError)
      throw new UnrecoverableError(`invalid experiment in job: ${err.issues.map(formatIssue).join("; ")}`);
    throw err;
  }
}
