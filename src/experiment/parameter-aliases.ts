// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${param.name} is our reference syntax, not a typo
import { isAlias, isMap, isScalar, isSeq, type Node } from "yaml";
import type { InputIssue } from "../errors/gameday-error.js";
import { formatPath } from "./yaml-locator.js";
import { positionAt, type YamlSource } from "./yaml-source.js";

const PREFIX = "${param.";

/** Whether `text` holds a `${param.` that is a reference (`$${param.x}` is a literal). */
export function hasParameterReference(text: string): boolean {
  for (let at = text.indexOf(PREFIX); at >= 0; at = text.indexOf(PREFIX, at + 1))
    if (at === 0 || text[at - 1] !== "$") return true;
  return false;
}

const MESSAGE =
  "a parameter reference cannot be anchored or aliased: an alias would carry its value into a field the allow-list never checked; write ${param.<name>} at each field";

/**
 * Substitution edits a scalar node in place, and every `*alias` of it shares that node: a
 * parameter would then reach fields it must never set (a blast-radius max, a fault's name) with
 * no check at the alias's position. So an anchored scalar holding a reference, and an alias whose
 * target holds one anywhere inside it, are both refused at their line. Returns the issues and
 * the anchored scalars' paths (left unsubstituted).
 */
export function aliasedReferenceIssues(source: YamlSource): { issues: InputIssue[]; paths: Set<string> } {
  const issues: InputIssue[] = [];
  const paths = new Set<string>();
  // Whether a node holds a reference, once per anchored node (many aliases of one big node stay linear).
  const holds = new Map<Node, boolean>();
  const holdsReference = (node: unknown): boolean => {
    if (isScalar(node)) return typeof node.value === "string" && hasParameterReference(node.value);
    if (isMap(node)) return node.items.some((pair) => holdsReference(pair.value));
    if (isSeq(node)) return node.items.some(holdsReference);
    return false; // an alias inside the target is checked at its own position
  };
  const refuse = (node: Node, path: PropertyKey[]) => {
    const where = formatPath(path);
    paths.add(where);
    const position = positionAt(source.lineCounter, node.range?.[0] ?? 0);
    issues.push({ file: source.file, ...position, path: where, message: MESSAGE });
  };
  const walk = (node: unknown, path: PropertyKey[]): void => {
    if (isAlias(node)) {
      const target = node.resolve(source.doc);
      if (!target) return; // an unknown alias is yaml's own error
      let known = holds.get(target);
      if (known === undefined) {
        known = holdsReference(target);
        holds.set(target, known);
      }
      if (known) refuse(node, path);
    } else if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) walk(item, [...path, i]);
    } else if (isScalar(node) && node.anchor && holdsReference(node)) refuse(node, path);
  };
  walk(source.doc.contents, []);
  return { issues, paths };
}
