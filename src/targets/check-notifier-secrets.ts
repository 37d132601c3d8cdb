import { type InputIssue, ValidationError } from "../errors/gameday-error.js";
import { resolveNotifiers } from "./notifier-credentials.js";
import type { LoadedTargets } from "./targets-loader.js";

/**
 * Every notifier secret of every target, read once: a worker calls this at its start, so a missing
 * or malformed key is one input error (exit 2, naming the targets file and the field) before any
 * job is taken, instead of a problem met by each job. Reading also registers them for redaction.
 */
export function checkNotifierSecrets(targets: LoadedTargets): void {
  const issues: InputIssue[] = [];
  for (const [name, target] of Object.entries(targets.targets.targets)) {
    try {
      resolveNotifiers(name, target, targets.file);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      issues.push(...err.issues);
    }
  }
  if (issues.length) throw new ValidationError(issues);
}
