import { type InputIssue, ValidationError } from "../errors/gameday-error.js";
import { CredentialError, describeSource, readCredential } from "../targets/credentials.js";
import { type LoadedTargets, loadTargets, unknownTargetMessage } from "../targets/targets-loader.js";
import type { Target } from "../targets/targets-schema.js";
import { checkReachIssues } from "./check-reach.js";
import { expand, interpolate } from "./interpolate.js";
import type { ParameterValue } from "./parameter-schema.js";
import { checkInputText, readInputFile } from "./read-input.js";
import { restorableReferences } from "./reusable-parse.js";
import { type Experiment, experimentSchema } from "./schema.js";
import { type SuppliedParameter, substituteParameters } from "./substitute-parameters.js";
import { sortIssues, validateSource } from "./validate-source.js";
import { formatPath, locateValue } from "./yaml-locator.js";
import { type ParsedYaml, parseYamlSource } from "./yaml-source.js";

export interface LoadedExperiment {
  file: string;
  experiment: Experiment;
  /** The document as plain data after ${VAR} interpolation, before defaults and durations. */
  raw: unknown;
  /** The target environment spec.target names, when a targets file was given. */
  target?: Target;
  /** Every value of spec.parameters as this run uses it (empty when the file declares none). */
  parameters: Record<string, ParameterValue>;
}

export interface LoadExperimentOptions {
  /** Explicit variables (say, from the command line): they win over the environment and target vars. */
  vars?: Record<string, string>;
  /** The targets file, loaded or as a path: it says which vars, secrets and environment names ${VAR} reads. */
  targets?: LoadedTargets | string;
  /** The environment for ${VAR} (only the names the targets file lists are read); process.env unless given. */
  env?: Record<string, string | undefined>;
  /** Values for spec.parameters (from --var, --var-file or a matrix); names the file lacks are ignored. */
  parameters?: ReadonlyMap<string, SuppliedParameter>;
}

export type LoadExperimentTextOptions = Omit<LoadExperimentOptions, "targets"> & {
  targets?: LoadedTargets;
  /** This text already parsed (a matrix loads one file once per combination): a copy is used, not a new parse. */
  parsed?: ParsedYaml | undefined;
};

/**
 * The text parsed, or its earlier parse with a function that undoes this load's in-place edits
 * (see reusable-parse.ts): a matrix loads one file once per combination from one parse.
 */
function parseOnce(
  text: string,
  file: string,
  parsed: ParsedYaml | undefined,
): { parsed: ParsedYaml; restore?: () => void } {
  if (!parsed?.source || parsed.source.text !== text || parsed.source.file !== file)
    return { parsed: parseYamlSource(text, file, EXPECTED) };
  return { parsed, restore: restorableReferences(parsed.source.doc) };
}

/** Parses an experiment's text once, for loadExperimentText's `parsed`. */
export const parseExperimentText = (text: string, file: string): ParsedYaml =>
  parseYamlSource(text, file, EXPECTED);

const EXPECTED = "an Experiment document (apiVersion: gameday/v1, kind: Experiment, metadata, spec)";

/** Only the environment names the targets file lists: an experiment must not read REDIS_URL or a token. */
function allowedEnv(
  env: Record<string, string | undefined>,
  names: readonly string[],
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of names) if (Object.hasOwn(env, name)) out[name] = env[name];
  return out;
}

/** The target's secrets that can be read, and an issue for each one the file uses but cannot be read. */
function targetSecrets(
  target: Target | undefined,
  env: Record<string, string | undefined>,
  text: string,
  file: string,
): { values: Record<string, string>; issues: InputIssue[] } {
  const values: Record<string, string> = {};
  const issues: InputIssue[] = [];
  for (const [name, source] of Object.entries(target?.secrets ?? {})) {
    try {
      values[name] = readCredential(source, env);
    } catch (error) {
      if (!text.includes(`\${${name}`)) continue;
      const reason = error instanceof CredentialError ? error.message : "unreadable";
      issues.push({ file, path: "", message: `secret ${name} (${describeSource(source)}): ${reason}` });
    }
  }
  return { values, issues };
}

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
  checkInputText(text, file, "experiment file");
  const { parsed, restore } = parseOnce(text, file, opts.parsed);
  try {
    return loadParsed(parsed, text, file, opts);
  } finally {
    restore?.();
  }
}

function loadParsed(
  parsed: ParsedYaml,
  text: string,
  file: string,
  opts: LoadExperimentTextOptions,
): LoadedExperiment {
  const { source } = parsed;
  if (!source) throw new ValidationError(sortIssues(parsed.issues));
  const env = opts.env ?? process.env;
  const targets = opts.targets;
  const topLevelEnv = targets?.targets.env ?? [];

  const issues: InputIssue[] = [...parsed.issues];
  // Parameters first: `${param.x}` is typed and never reaches the `${VAR}` pass (which would call it malformed).
  const params = substituteParameters(source, opts.parameters ?? new Map());
  for (const issue of params.issues) issues.push(issue);
  const written = source.doc.getIn(["spec", "target"]);
  const targetName =
    typeof written === "string"
      ? expand(written, { ...allowedEnv(env, topLevelEnv), ...opts.vars }, "the environment").value
      : undefined;
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
    ? `vars or secrets of target "${targetName}", or an environment variable the targets file lists under env (${targets?.file})`
    : targets
      ? `an environment variable the targets file lists under env (${targets.file})`
      : "explicit vars (no targets file was given, so no target vars and no environment variable were read)";
  // Without a known target its vars are unknown too: undefined variables would only be noise.
  const lenient = targets !== undefined && target === undefined;
  const secrets = targetSecrets(target, env, text, file);
  for (const issue of secrets.issues) issues.push(issue);
  const ambient = allowedEnv(env, [...topLevelEnv, ...(target?.env ?? [])]);
  const vars = { ...target?.vars, ...ambient, ...secrets.values, ...opts.vars };
  const interpolated = interpolate(source, { vars, sources, lenient, skip: params.paths });
  for (const issue of interpolated.issues) issues.push(issue);
  for (const path of params.paths) interpolated.paths.add(path);

  const result = validateSource(source, experimentSchema, "Experiment", interpolated.paths);
  if (!result.ok) for (const issue of result.issues) issues.push(issue);
  if (result.ok && targetName !== undefined && (target || !targets)) {
    const { spec } = result.value;
    const lists = { steadyState: spec.steadyState, expect: spec.expect, abortWhen: spec.abortWhen };
    const reach = checkReachIssues({ load: spec.load, lists }, target, targetName);
    for (const { path, message } of reach) {
      // A value with an unexpandable reference already has its issue: the URL check would only repeat it.
      if (interpolated.paths.has(formatPath(path))) continue;
      const { line, column } = locateValue(source, path);
      issues.push({ file, line, column, path: formatPath(path), message });
    }
  }
  if (issues.length > 0 || !result.ok) throw new ValidationError(sortIssues(issues));
  return {
    file,
    experiment: result.value,
    raw: result.raw,
    ...(target ? { target } : {}),
    parameters: params.resolved,
  };
}

export async function loadExperiment(
  file: string,
  opts: LoadExperimentOptions = {},
): Promise<LoadedExperiment> {
  const targets = typeof opts.targets === "string" ? await loadTargets(opts.targets) : opts.targets;
  const text = await readInputFile(file, "experiment file");
  return loadExperimentText(text, file, { ...opts, targets });
}
