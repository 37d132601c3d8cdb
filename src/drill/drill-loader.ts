import { readdirSync } from "node:fs";
import { join } from "node:path";
import { type InputIssue, ValidationError } from "../errors/gameday-error.js";
import { checkReachIssues } from "../experiment/check-reach.js";
import { didYouMean } from "../experiment/did-you-mean.js";
import { interpolate } from "../experiment/interpolate.js";
import { checkInputText, readInputFile } from "../experiment/read-input.js";
import { targetReferenceIssues } from "../experiment/target-references.js";
import { sortIssues, validateSource } from "../experiment/validate-source.js";
import { formatPath, locateValue } from "../experiment/yaml-locator.js";
import { parseYamlSource } from "../experiment/yaml-source.js";
import { type LoadedTargets, unknownTargetMessage } from "../targets/targets-loader.js";
import type { Target } from "../targets/targets-schema.js";
import { type Drill, drillSchema } from "./drill-schema.js";

export interface LoadedDrill {
  file: string;
  drill: Drill;
  target?: Target;
}

const EXPECTED = "a Drill document (apiVersion: gameday/v1, kind: Drill, metadata, spec)";

/**
 * Parses, interpolates (`${VAR}` from the target's vars only: a drill reads no secrets) and
 * validates a drill; every issue carries file, line, column and field, as experiments' do.
 */
export function loadDrillText(
  text: string,
  file: string,
  opts: { targets?: LoadedTargets } = {},
): LoadedDrill {
  checkInputText(text, file, "drill file");
  const parsed = parseYamlSource(text, file, EXPECTED);
  const { source } = parsed;
  if (!source) throw new ValidationError(sortIssues(parsed.issues));
  const issues: InputIssue[] = [...parsed.issues];
  const written = source.doc.getIn(["spec", "target"]);
  let target: Target | undefined;
  const targets = opts.targets;
  if (targets && typeof written === "string") {
    target = Object.hasOwn(targets.targets.targets, written) ? targets.targets.targets[written] : undefined;
    if (!target) {
      const { line, column } = locateValue(source, ["spec", "target"]);
      issues.push({
        file,
        line,
        column,
        path: "spec.target",
        message: unknownTargetMessage(written, targets.targets, targets.file),
      });
    }
  }
  const interpolated = interpolate(source, {
    vars: { ...target?.vars },
    sources: target ? `vars of target "${String(written)}"` : "target vars (no targets file was given)",
    lenient: target === undefined,
  });
  issues.push(...interpolated.issues);
  const result = validateSource(source, drillSchema, "Drill", interpolated.paths);
  if (!result.ok) issues.push(...result.issues);
  if (result.ok && target && typeof written === "string") {
    // The load and every URL, scrape target and alert source of the steady state: what an experiment may reach.
    const { spec } = result.value;
    for (const { path, message } of checkReachIssues(
      { load: spec.load, lists: { steadyState: spec.steadyState } },
      target,
      written,
    )) {
      if (interpolated.paths.has(formatPath(path))) continue;
      const { line, column } = locateValue(source, path);
      issues.push({ file, line, column, path: formatPath(path), message });
    }
  }
  // What the faults name in the target (proxies, namespaces, ...): the same check as an experiment's.
  if (target && typeof written === "string") issues.push(...targetReferenceIssues(source, target, written));
  if (issues.length || !result.ok) throw new ValidationError(sortIssues(issues));
  return { file, drill: result.value, ...(target ? { target } : {}) };
}

export async function loadDrill(file: string, opts: { targets?: LoadedTargets } = {}): Promise<LoadedDrill> {
  return loadDrillText(await readInputFile(file, "drill file"), file, opts);
}

/** The drill files of a catalogue folder, sorted (so a seeded --random picks the same one everywhere). */
export function catalogueFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n));
  } catch (err) {
    throw new ValidationError([
      { file: dir, path: "", message: `cannot read the drill catalogue: ${(err as Error).message}` },
    ]);
  }
  if (!names.length)
    throw new ValidationError([{ file: dir, path: "", message: "the drill catalogue holds no drill files" }]);
  return names.sort().map((n) => join(dir, n));
}

/** `--scenario <name>`: the catalogue file whose basename or metadata.name is `name`. */
export function scenarioFile(dir: string, name: string, names: Map<string, string>): string {
  const found = names.get(name);
  if (found) return found;
  const known = [...names.keys()];
  throw new ValidationError([
    {
      file: dir,
      path: "--scenario",
      message: `unknown scenario "${name.slice(0, 80)}": expected one of ${known.join(", ")}${didYouMean(name, known)}`,
    },
  ]);
}
