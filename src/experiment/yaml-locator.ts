import { isAlias, isMap, isScalar, isSeq, type Node, type Pair } from "yaml";
import { positionAt, type YamlSource } from "./yaml-source.js";

export type Position = { line: number; column: number };

/** `spec.faults[0].toxiproxy.toxicity`; keys that are not identifiers get brackets: `labels["app.io/x"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else {
      const key = String(segment);
      if (/^[A-Za-z_$][\w$-]*$/.test(key)) out += out ? `.${key}` : key;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

interface Walk {
  /** How many leading segments of the path exist in the document. */
  matched: number;
  /** The deepest node reached, and the map entry holding it (none for list items and the root). */
  node: Node | null;
  pair: Pair | undefined;
}

function walk(source: YamlSource, path: readonly PropertyKey[]): Walk {
  const resolve = (n: unknown): Node | null =>
    isAlias(n) ? ((n.resolve(source.doc) as Node | undefined) ?? null) : ((n as Node | null) ?? null);
  let node = resolve(source.doc.contents);
  let pair: Pair | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isMap(node)) {
      const entry = node.items.find(
        (p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment),
      );
      if (entry === undefined) return { matched: i, node, pair };
      pair = entry;
      node = resolve(entry.value);
    } else if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
      pair = undefined;
      node = resolve(node.items[segment]);
    } else return { matched: i, node, pair };
  }
  return { matched: path.length, node, pair };
}

/** Where a node "is" for a human: its key when it sits in a mapping, else its first character. */
function anchor(w: Walk): number | undefined {
  const key = w.pair?.key as Node | undefined;
  if (key?.range) return key.range[0];
  return w.node?.range?.[0];
}

export interface Located extends Position {
  /** False when the path does not exist and the position is that of its nearest existing parent. */
  exists: boolean;
}

/**
 * Position of the value at `path`, or of the key when the value is empty (`for:` with nothing);
 * a missing field points at its parent object, the place where it should be added.
 */
export function locateValue(source: YamlSource, path: readonly PropertyKey[]): Located {
  const w = walk(source, path);
  const exists = w.matched === path.length;
  let offset = anchor(w);
  const range = w.node?.range ?? undefined;
  const emptyScalar =
    isScalar(w.node) && w.node.value === null && range !== undefined && range[0] === range[1];
  if (exists && range && !emptyScalar) offset = range[0];
  return { ...positionAt(source.lineCounter, offset ?? 0), exists };
}

/** Position of the key that names `path` (for unknown fields); falls back to the value. */
export function locateKey(source: YamlSource, path: readonly PropertyKey[]): Located {
  const w = walk(source, path);
  const exists = w.matched === path.length;
  const key = w.pair?.key as Node | undefined;
  if (exists && key?.range) return { ...positionAt(source.lineCounter, key.range[0]), exists };
  return locateValue(source, path);
}
