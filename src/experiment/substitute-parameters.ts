// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${param.name} is our reference syntax, not a typo
import type { InputIssue } from "../errors/gameday-error.js";
import { didYouMean } from "./did-you-mean.js";
import { eachScalar } from "./interpolate.js";
import { aliasedReferenceIssues } from "./parameter-aliases.js";
import {
  checkParameterValue,
  PARAMETER_LIMITS,
  PARAMETER_NAME,
  type Parameters,
  type ParameterValue,
  parameterSchema,
} from "./parameter-schema.js";
import { formatPath, locateKey } from "./yaml-locator.js";
import { positionAt, type YamlSource } from "./yaml-source.js";

/**
 * The fields a parameter may set: fault attributes, durations, thresholds and rates. Never a
 * host, URL, proxy, container, service, namespace, selector, query or name: reach comes from the
 * targets file alone, and a game day's matrix is as untrusted as the experiment it varies.
 */
export const PARAMETER_FIELDS: ReadonlySet<string> = new Set([
  // toxiproxy
  "toxic",
  "latency",
  "jitter",
  "toxicity",
  "stream",
  "rate",
  "delay",
  "averageSize",
  "sizeVariation",
  "bytes",
  "timeout",
  // docker and kubernetes fault attributes (what, not where nor how many)
  "action",
  "signal",
  "limit",
  "size",
  "cpus",
  "workers",
  "memory",
  "oomVictim",
  "gracePeriod",
  "readyTimeout",
  // schedule and time semantics
  "at",
  "for",
  "within",
  "over",
  "recoveredWithin",
  "closedWithin",
  "firesWithin",
  "resolvesWithin",
  "sampleInterval",
  // thresholds and load
  "below",
  "above",
  "atMost",
  "atLeast",
  "equals",
  "maxInFlight",
  "aggregate",
]);

/** Where a supplied value came from, to place its issue: a --var, a var file's line, a matrix value. */
export interface ValueOrigin {
  file: string;
  line?: number | undefined;
  column?: number | undefined;
  path: string;
  /** How the message names the value's source; never the value itself when it came from a file. */
  label: string;
}

export interface SuppliedParameter {
  value: ParameterValue;
  origin: ValueOrigin;
}

export interface SubstitutedParameters {
  issues: InputIssue[];
  /** Fields whose value already has an issue here: the schema's complaint about them would repeat it. */
  paths: Set<string>;
  /** Every declared parameter's value (supplied, else its default), in declaration order. */
  resolved: Record<string, ParameterValue>;
  /** What the file declares, valid or not (a supplied name it lacks is not this file's business). */
  declared: string[];
}

const PREFIX = "${param.";
const PROBLEMS_PER_VALUE = 5;

/**
 * `spec.parameters` as written, each entry checked on its own: a valid one can be used even when
 * another is not (that one's issue comes from the schema, and references to it are skipped).
 */
export function declaredParameters(source: YamlSource): { params: Parameters; names: string[] } {
  let written: unknown;
  try {
    written = source.doc.getIn(["spec", "parameters"]);
    written = (written as { toJSON?: () => unknown } | undefined)?.toJSON?.() ?? written;
  } catch {
    return { params: {}, names: [] };
  }
  if (typeof written !== "object" || written === null || Array.isArray(written))
    return { params: {}, names: [] };
  const names = Object.keys(written);
  const params: Parameters = {};
  if (names.length > PARAMETER_LIMITS.perExperiment) return { params, names };
  for (const [name, value] of Object.entries(written)) {
    const parsed = parameterSchema.safeParse(value);
    if (PARAMETER_NAME.test(name) && parsed.success) params[name] = parsed.data;
  }
  return { params, names };
}

/**
 * Maps whose keys the author chooses (container and series selectors, request headers): a key
 * there named like a field (`select: { labels: { size: ... } }`) is still a selector, never a field.
 */
const FREE_FORM = new Set(["labels", "headers", "select", "env"]);

/** The field a scalar sets: its key, when it lies in spec outside spec.parameters and any free-form map. */
function fieldOf(path: PropertyKey[]): string | undefined {
  if (path[0] !== "spec" || path[1] === "parameters") return undefined;
  const last = path.at(-1);
  if (typeof last !== "string") return undefined; // a list item: no field of ours takes a list of values
  return path.slice(0, -1).some((p) => typeof p === "string" && FREE_FORM.has(p)) ? undefined : last;
}

/**
 * Resolves each declared parameter (supplied value, else its default; each checked against its
 * type) and replaces every `${param.name}` in the document, in place, before `${VAR}`
 * interpolation. A whole-value reference takes the parameter's type (a number stays a number);
 * the field's own schema then validates the result, at the field's line. `$${param.x}` stays a
 * literal, as `$${` always does.
 */
export function substituteParameters(
  source: YamlSource,
  supplied: ReadonlyMap<string, SuppliedParameter>,
): SubstitutedParameters {
  const issues: InputIssue[] = [];
  const paths = new Set<string>();
  const { params, names } = declaredParameters(source);
  const resolved: Record<string, ParameterValue> = {};
  const badValue = new Set<string>();
  for (const [name, param] of Object.entries(params)) {
    const given = supplied.get(name);
    const checked = checkParameterValue(param, given?.value ?? param.default);
    if (checked.ok) resolved[name] = checked.value;
    else if (given) {
      badValue.add(name);
      const { label, ...at } = given.origin;
      issues.push({ ...at, message: `${label}: ${checked.problem} (parameter ${name} is a ${param.type})` });
    }
  }

  // Before any edit: an anchored reference would carry its value to every alias (see
  // parameter-aliases.ts). Its path joins `paths`, so it is checked below but never substituted.
  const aliased = aliasedReferenceIssues(source);
  for (const issue of aliased.issues) issues.push(issue);
  for (const path of aliased.paths) paths.add(path);
  const used = new Set<string>();
  eachScalar(source.doc.contents, [], (node, path) => {
    if (typeof node.value !== "string" || !node.value.includes(PREFIX)) return;
    const written = node.value;
    const field = fieldOf(path);
    const where = formatPath(path);
    const [start = 0, end = start] = node.range ?? [];
    const slice = source.text.slice(start, end);
    let problems = 0;
    const problem = (text: string, message: string) => {
      paths.add(where);
      if (problems++ >= PROBLEMS_PER_VALUE) return;
      const offset = start + Math.max(slice.indexOf(text), 0);
      issues.push({ file: source.file, ...positionAt(source.lineCounter, offset), path: where, message });
    };
    let out = "";
    let from = 0;
    let single: ParameterValue | undefined;
    let references = 0;
    for (;;) {
      const at = written.indexOf(PREFIX, from);
      if (at < 0) break;
      if (at > 0 && written[at - 1] === "$") {
        // `$${param.x}` is a literal: left for interpolation, which unescapes `$${`.
        out += written.slice(from, at + PREFIX.length);
        from = at + PREFIX.length;
        continue;
      }
      out += written.slice(from, at);
      const close = written.indexOf("}", at);
      const text = close < 0 ? written.slice(at, at + 48) : written.slice(at, close + 1);
      from = close < 0 ? written.length : close + 1;
      references++;
      const name = close < 0 ? "" : written.slice(at + PREFIX.length, close);
      if (close < 0 || !PARAMETER_NAME.test(name)) {
        problem(text, "expected ${param.<name>} with a parameter name of letters, digits and _");
        out += text;
        continue;
      }
      used.add(name);
      if (field === undefined || !PARAMETER_FIELDS.has(field)) {
        problem(
          text,
          `\${param.${name}} is not allowed in ${where}: a parameter may set fault attributes, durations, thresholds and rates (${[...PARAMETER_FIELDS].slice(0, 8).join(", ")}, ...), never a host, URL, proxy, container, service, namespace, query or name`,
        );
        out += text;
        continue;
      }
      if (names.includes(name) && !Object.hasOwn(params, name)) {
        paths.add(where); // its declaration has its own issue; the reference cannot be resolved
        out += text;
        continue;
      }
      if (!Object.hasOwn(params, name)) {
        const known = names;
        problem(
          text,
          `unknown parameter ${name}: expected one declared in spec.parameters (${known.join(", ") || "none declared"})${didYouMean(name, known)}`,
        );
        out += text;
        continue;
      }
      const value = resolved[name];
      if (value === undefined || badValue.has(name)) {
        paths.add(where);
        out += text;
        continue;
      }
      single = value;
      out += String(value);
    }
    if (paths.has(where)) return;
    const whole =
      references === 1 && single !== undefined && out === String(single) && from === written.length;
    node.value = whole ? single : out + written.slice(from);
  });

  for (const name of Object.keys(params))
    if (!used.has(name)) {
      const at = locateKey(source, ["spec", "parameters", name]);
      issues.push({
        file: source.file,
        line: at.line,
        column: at.column,
        path: `spec.parameters.${name}`,
        message: `parameter ${name} is declared but no field uses \${param.${name}}: remove it or use it`,
      });
    }
  return { issues, paths, resolved, declared: names };
}
