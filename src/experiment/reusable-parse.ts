import type { Document, Scalar } from "yaml";
import { eachScalar } from "./interpolate.js";

/** Per parsed document, the scalars loading may rewrite, found once however many loads reuse it. */
const rewritable = new WeakMap<Document, [Scalar, unknown][]>();

/**
 * Loading rewrites, in place, only scalars holding a `${` (parameter substitution, then `${VAR}`
 * interpolation). Remembering those values and putting them back lets one parse serve every
 * combination of a matrix without cloning the whole document each time (the clone cost more than
 * the validation itself). Returns the function that restores them.
 */
export function restorableReferences(doc: Document): () => void {
  let nodes = rewritable.get(doc);
  if (!nodes) {
    const found: [Scalar, unknown][] = [];
    eachScalar(doc.contents, [], (node) => {
      if (typeof node.value === "string" && node.value.includes("${")) found.push([node, node.value]);
    });
    nodes = found;
    rewritable.set(doc, nodes);
  }
  const saved = nodes;
  return () => {
    for (const [node, value] of saved) node.value = value;
  };
}
