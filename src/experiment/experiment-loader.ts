import { type InputIssue, ValidationError } from "../errors/gameday-error.js";
import { type LoadedTargets, loadTargets, unknownTargetMessage } from "../targets/targets-loader.js";
import type { Target } from "../targets/targets-schema.js";
import { expand, interpolate } from "./interpolate.js";
import { readInputFile } from "./read-input.js";
import { type Experiment, experimentSchema } from "./schema.js";
import { sortIssues, validateSource } from "./validate-source.js";
import { locateValue } from "./yaml-locator.js";
import { parseYamlSource } from "./yaml-source.js";

export interface LoadedExperiment {
  file: string;
  experiment: Experiment;
  /** The document as plain data after ${VAR} interpolation, before defaults and durations. */
  raw: unknown;
  /** The target environment spec.target names, when a targets file was given. */
  target?: Target;
}

export interface LoadExperimentOptions {
  /** Explicit variables (say, from the command line): they win over the environment and target vars. */
  vars?: Record<string, string>;
  /** The targets file, loaded or as a path: spec.target's vars feed ${VAR} (the environment wins). */
  targets?: LoadedTargets | string;
  /** The environment for ${VAR}; process.env unless given. */
  env?: Record<string, string | undefined>;
}

export type LoadExperimentTextOptions = Omit<LoadExperimentOptions, "targets"> & { targets?: LoadedTargets };

const EXPECTED = "an Experiment document (apiVersion: gameday/v1, kind: Experiment, metadata, spec)";

/**
 * Parses, interpolates and validates one experiment. Two steps, because spec.target (read
 * first) decides which target's vars the rest of the file may use. Throws a ValidationError
 * holding every issue of the file, each located at line:column.
 */
export function loadExperimentText(
  text: string,
  file: string,
  opts: LoadExperimentTextOptions = {},
): LoadedExperiment {
  const parsed = parseYamlSource(text, file, EXPECTED);
  const { source } = parsed;
  if (!source) throw new ValidationError(sortIssues(parsed.issues));
  const ambient = { ...(opts.env ?? process.env), ...opts.vars };

  const issues: InputIssue[] = [...parsed.issues];
  const written = source.doc.getIn(["spec", "target"]);
  const targetName =
    typeof written === "string" ? expand(written, ambient, "the environment").value : undefined;
  const targets = opts.targets;
  let target: Target | undefined;
  if (targets && targetName !== undefined) {
    target = Object.hasOwn(targets.targets.targets, targetName)
      ? targets.targets.targets[targetName]
      : undefined;
    if (!target) {
      const { line, column } = locateValue(source, ["spec", "target"]);
      const message = unknownTargetMessage(targetName, targets.targets, targets.file);
      issues.push({ file, line, column, path: "spec.target", message });
    }
  }

  const sources = target
    ? `the environment or in vars of target "${targetName}" (${targets?.file})`
    : "the environment (no targets file was given, so no target vars were read)";
  // Without a known target its vars are unknown too: undefined variables would only be noise.
  const lenient = targets !== undefined && target === undefined;
  const interpolated = interpolate(source, { vars: { ...target?.vars, ...ambient }, sources, lenient });
  issues.push(...interpolated.issues);

  const result = validateSource(source, experimentSchema, "Experiment", interpolated.paths);
  if (!result.ok) issues.push(...result.issues);
  if (issues.length > 0 || !result.ok) throw new ValidationError(sortIssues(issues));
  return { file, experiment: result.value, raw: result.raw, ...(target ? { target } : {}) };
}

export async function loadExperiment(
  file: string,
  opts: LoadExperimentOptions = {},
): Promise<LoadedExperiment> {
  const targets = typeof opts.targets === "string" ? await loadTargets(opts.targets) : opts.targets;
  const text = await readInputFile(file, "experiment file");
  return loadExperimentText(text, file, { ...opts, targets });
}
