import { type InputIssue, ValidationError } from "../../errors/gameday-error.js";
import type { ResolvedNotifier } from "../../interfaces/notifier.js";
import { resolveNotifiers } from "../../targets/notifier-credentials.js";
import { notifySelectionIssues } from "../../targets/notify-selection.js";
import type { Target } from "../../targets/targets-schema.js";

/** One planned run: its target, and the game day it belongs to with that day's selection. */
export interface NotifyPlanEntry {
  targetName: string;
  target: Target;
  suite?: { file: string; notify?: readonly string[] | undefined; text?: string | undefined } | undefined;
}

/**
 * Every run's notifiers, decided before the first run starts: the selections checked against
 * the targets, every secret read once per target and selection. Throws one ValidationError (exit 2,
 * nothing touched) with every issue; with onUnreadable, a notifier whose secret cannot be read is
 * left out and its issue passed there (an unknown name still throws).
 */
export function planNotifiers(
  entries: readonly NotifyPlanEntry[],
  targetsFile: string,
  onUnreadable?: (issue: InputIssue) => void,
): ResolvedNotifier[][] {
  const issues: InputIssue[] = [];
  const checked = new Set<string>();
  for (const entry of entries) {
    const suite = entry.suite;
    if (!suite?.notify || checked.has(suite.file)) continue;
    checked.add(suite.file);
    const members = entries.filter((e) => e.suite?.file === suite.file);
    issues.push(
      ...notifySelectionIssues({
        file: suite.file,
        text: suite.text,
        notify: suite.notify,
        targets: members.map((m) => ({ name: m.targetName, target: m.target })),
      }),
    );
  }
  const cache = new Map<string, ResolvedNotifier[]>();
  const out = entries.map((entry) => {
    const key = `${entry.targetName}\0${entry.suite?.file ?? ""}`;
    let resolved = cache.get(key);
    if (!resolved) {
      try {
        resolved = resolveNotifiers(
          entry.targetName,
          entry.target,
          targetsFile,
          entry.suite?.notify,
          onUnreadable,
        );
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        issues.push(...err.issues);
        resolved = [];
      }
      cache.set(key, resolved);
    }
    return resolved;
  });
  // The same unreadable secret, met for two selections of one target, is one issue.
  const unique = [...new Map(issues.map((i) => [`${i.file}\0${i.path}\0${i.message}`, i])).values()];
  if (unique.length) throw new ValidationError(unique);
  return out;
}
