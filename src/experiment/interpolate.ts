import { isMap, isScalar, isSeq, parse, type Scalar } from "yaml";
import type { InputIssue } from "../errors/gameday-error.js";
import { formatPath } from "./yaml-locator.js";
import { positionAt, type YamlSource } from "./yaml-source.js";

/** `$${` is a literal `${`; `${NAME}` and `${NAME:-fallback}` are references. */
const NAME = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/** Problems reported per value: a value with 200,000 `${` says so once per reference up to here. */
const PROBLEMS_PER_VALUE = 5;
/** How much of a bad reference is echoed back. */
const ECHO = 40;

const echo = (text: string) => (text.length > ECHO ? `${text.slice(0, ECHO)}...` : text);

export interface InterpolateOptions {
  vars: Record<string, string | undefined>;
  /** Where variables come from, for the undefined-variable message. */
  sources: string;
  /** Leave unknown references as written, without issues (when the vars cannot be known). */
  lenient?: boolean;
  /** Fields left alone: they already have an issue (an unresolved `${param.x}`). */
  skip?: ReadonlySet<string>;
}

export function eachScalar(
  node: unknown,
  path: PropertyKey[],
  visit: (s: Scalar, path: PropertyKey[]) => void,
): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      eachScalar(pair.value, [...path, key], visit);
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) eachScalar(item, [...path, i], visit);
  } else if (isScalar(node)) visit(node, path);
}

/** What the text would mean written unquoted, limited to numbers and booleans (never structure). */
function asPlainScalar(text: string): string | number | boolean {
  try {
    const value: unknown = parse(text);
    return typeof value === "number" || typeof value === "boolean" ? value : text;
  } catch {
    return text;
  }
}

/** A reference that could not be expanded: `text` as written, and why. */
export interface ExpandProblem {
  text: string;
  message: string;
}

/**
 * Expands the references in one string; unexpandable ones stay as written. One left-to-right pass
 * with indexOf (a regex with [^}]* rescans the rest of the value at every `${`: quadratic).
 */
export function expand(
  written: string,
  vars: Record<string, string | undefined>,
  sources: string,
): { value: string; problems: ExpandProblem[] } {
  const problems: ExpandProblem[] = [];
  const problem = (p: ExpandProblem) => {
    if (problems.length < PROBLEMS_PER_VALUE) problems.push(p);
  };
  let out = "";
  let from = 0;
  for (;;) {
    const at = written.indexOf("${", from);
    if (at < 0) break;
    if (at > from && written[at - 1] === "$") {
      out += `${written.slice(from, at - 1)}\${`;
      from = at + 2;
      continue;
    }
    out += written.slice(from, at);
    const close = written.indexOf("}", at + 2);
    if (close < 0) {
      const text = written.slice(at);
      problem({
        text,
        message: `unterminated reference "${echo(text)}": expected a closing } after the name`,
      });
      out += text;
      from = written.length;
      break;
    }
    const match = written.slice(at, close + 1);
    from = close + 1;
    const name = NAME.exec(match.slice(2, -1));
    if (!name?.[1]) {
      problem({
        text: match,
        message: `expected a variable name (letters, digits, _) inside \${...}, found "${echo(match)}"`,
      });
      out += match;
      continue;
    }
    // Own keys only (`${constructor}` is not a variable); like a shell, `:-` also covers an empty value.
    const set = Object.hasOwn(vars, name[1]) ? vars[name[1]] : undefined;
    const found = name[2] !== undefined && !set ? name[2] : set;
    if (found === undefined)
      problem({ text: match, message: `undefined variable ${echo(name[1])}: expected it in ${sources}` });
    out += found ?? match;
  }
  return { value: out + written.slice(from), problems };
}

/**
 * Replaces `${VAR}` in the string values of the parsed document, in place. Working on nodes, not
 * raw text, keeps every position right and never lets a value change the YAML structure.
 * Returns one issue per unexpandable reference, at the reference itself, and the affected paths.
 */
export function interpolate(
  source: YamlSource,
  opts: InterpolateOptions,
): { issues: InputIssue[]; paths: Set<string> } {
  const issues: InputIssue[] = [];
  const paths = new Set<string>();
  eachScalar(source.doc.contents, [], (node, path) => {
    if (typeof node.value !== "string" || !node.value.includes("${")) return;
    if (opts.skip?.has(formatPath(path))) return;
    const written = node.value;
    const { value, problems } = expand(written, opts.vars, opts.sources);
    if (!opts.lenient) {
      const [start = 0, end = start] = node.range ?? [];
      const slice = source.text.slice(start, end);
      for (const problem of problems) {
        const offset = start + Math.max(slice.indexOf(problem.text), 0);
        const position = positionAt(source.lineCounter, offset);
        issues.push({ file: source.file, ...position, path: formatPath(path), message: problem.message });
        paths.add(formatPath(path));
      }
    }
    // An unquoted `rate: ${RATE}` should become the number 50, as if 50 had been written there.
    const whole = node.type === "PLAIN" && /^\$\{[^}]*\}$/.test(written.trim());
    node.value = whole ? asPlainScalar(value) : value;
  });
  return { issues, paths };
}
