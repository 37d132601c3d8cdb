import type { InputIssue } from "../errors/gameday-error.js";
import { nearest } from "../experiment/did-you-mean.js";
import { readInputFileSync } from "../experiment/read-input.js";
import { locateValue } from "../experiment/yaml-locator.js";
import { parseYamlSource } from "../experiment/yaml-source.js";
import type { LoadedTargets } from "./targets-loader.js";
import type { Target } from "./targets-schema.js";

/** One game day's `spec.notify` and the targets its experiments run on. */
export interface NotifySelection {
  file: string;
  /** The game day's text, to place each issue at its line (a queued job carries none). */
  text?: string | undefined;
  notify: readonly string[];
  targets: { name: string; target: Target }[];
}

/**
 * A selected name that none of the game day's targets configures is an input error at its line:
 * a game day only picks among the targets file's notifiers, and a typo must not silently notify
 * nobody.
 */
export function notifySelectionIssues(selection: NotifySelection): InputIssue[] {
  const known = [...new Set(selection.targets.flatMap((t) => Object.keys(t.target.notify ?? {})))];
  const source = selection.text ? parseYamlSource(selection.text, selection.file, "").source : undefined;
  const issues: InputIssue[] = [];
  selection.notify.forEach((name, i) => {
    if (known.includes(name)) return;
    const where = source ? locateValue(source, ["spec", "notify", i]) : undefined;
    const names = [...new Set(selection.targets.map((t) => t.name))].join(", ");
    const guess = nearest(name, known);
    issues.push({
      file: selection.file,
      line: where?.line,
      column: where?.column,
      path: `spec.notify[${i}]`,
      message:
        // Quoted as JSON: a name from a job or a file never writes control characters into a log.
        `unknown notifier ${JSON.stringify(name)}: ` +
        (known.length
          ? `the targets file configures ${known.join(", ")} for ${names}`
          : `the targets file configures no notifier for ${names} (add one under the target's notify)`) +
        (guess ? `; did you mean ${JSON.stringify(guess)}?` : ""),
    });
  });
  return issues;
}

/**
 * The same for a game day file before its experiments are loaded (validate, enqueue): each member's
 * `spec.target` as written, looked up in the targets file. Members that cannot be read or name no
 * known target are the experiment loader's to report, and count for nothing here.
 */
export function gameDayNotifyIssues(
  file: string,
  text: string,
  notify: readonly string[] | undefined,
  experimentFiles: readonly string[],
  targets: LoadedTargets,
): InputIssue[] {
  if (!notify) return [];
  const all = targets.targets.targets;
  const members: { name: string; target: Target }[] = [];
  for (const member of experimentFiles) {
    let name: unknown;
    try {
      name = parseYamlSource(readInputFileSync(member, "experiment file"), member, "").source?.doc.getIn([
        "spec",
        "target",
      ]);
    } catch {
      continue;
    }
    const target = typeof name === "string" && Object.hasOwn(all, name) ? all[name] : undefined;
    if (typeof name === "string" && target) members.push({ name, target });
  }
  if (!members.length) return [];
  return notifySelectionIssues({ file, text, notify, targets: members });
}
