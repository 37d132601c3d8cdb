import { UnrecoverableError } from "bullmq";
import { type ResolvedInput, resolvedInput } from "../cli/inputs.js";
import { formatIssue, ValidationError } from "../errors/gameday-error.js";
import { loadExperimentText } from "../experiment/experiment-loader.js";
import type { ResolvedNotifier } from "../interfaces/notifier.js";
import { planNotifiers } from "../report/notify/plan-notifiers.js";
import type { LoadedTargets } from "../targets/targets-loader.js";
import { type JobPayload, jobPayloadSchema } from "./job-payload.js";

/**
 * The worker's side of validation: a payload that is not a job, or files that do not validate
 * against the worker's OWN targets file, fail the job at once, without retries. Experiments name
 * their target; what that name reaches is only ever what the worker's targets file says. A
 * `targets` text in the payload (older enqueuers sent one) is never read.
 */
export function loadPayload(
  data: unknown,
  targets: LoadedTargets,
): {
  payload: JobPayload;
  inputs: ResolvedInput[];
  notifiers: ResolvedNotifier[][];
  /** Notifiers left out because their secret cannot be read now (one line each, for the log). */
  unreadableNotifiers: string[];
  ignoredTargets: boolean;
} {
  const parsed = jobPayloadSchema.safeParse(data);
  if (!parsed.success)
    throw new UnrecoverableError(
      `invalid job payload: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
    );
  const payload = parsed.data;
  try {
    // A queued run takes each parameter's default; run.json records them as an inline run does.
    const inputs = payload.experiments.map(({ file, text }) =>
      resolvedInput(loadExperimentText(text, file, { targets }), targets),
    );
    // Notifiers come from the worker's own targets; the job only selects among them by name. The
    // worker checked their secrets at its start: one unreadable now (rotated, removed) is left out,
    // never the job's failure (notifiers never fail a run).
    const suite = payload.kind === "suite" ? { file: payload.file, notify: payload.notify } : undefined;
    const unreadable = new Set<string>();
    const notifiers = planNotifiers(
      inputs.map((input) => ({ ...input, suite })),
      targets.file,
      (issue) => unreadable.add(`${formatIssue(issue)}; the run goes on without this notifier`),
    );
    return {
      payload,
      inputs,
      notifiers,
      unreadableNotifiers: [...unreadable],
      ignoredTargets: payload.targets !== undefined,
    };
  } catch (err) {
    if (err instanceof ValidationError)
      throw new UnrecoverableError(`invalid experiment in job: ${err.issues.map(formatIssue).join("; ")}`);
    throw err;
  }
}
