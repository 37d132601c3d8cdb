import { globSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import type { SchemaKind } from "../../src/experiment/json-schema.js";

/** The kind each `kind:` value is validated as; a file of another kind is a test failure. */
export const KIND_OF: Record<string, SchemaKind> = {
  Experiment: "experiment",
  GameDay: "gameday",
  Targets: "targets",
  Drill: "drill",
};

/**
 * Fixtures written to be invalid (the loader's error tests read them): the schemas must refuse
 * them. Every other gameday file in the repo is an example a user may copy, and must pass.
 */
export const MEANT_INVALID = new Set(["test/fixtures/experiments/many-problems.yaml"]);

export interface ExampleFile {
  file: string;
  kind: string;
  data: unknown;
}

/** Every YAML file in the repo that declares `apiVersion: gameday/v1`, wherever it lives. */
export function gamedayYamlFiles(root: string): ExampleFile[] {
  const files = globSync("**/*.{yaml,yml}", {
    cwd: root,
    exclude: (f) => /^(node_modules|dist|\.gameday|\.git|reports)$/.test(f),
  }).sort();
  const out: ExampleFile[] = [];
  for (const file of files) {
    let data: unknown;
    try {
      data = parse(readFileSync(`${root}/${file}`, "utf8"));
    } catch {
      continue; // not ours (or a multi-document manifest); gameday files are single documents
    }
    const doc = data as { apiVersion?: unknown; kind?: unknown } | null;
    if (doc?.apiVersion !== "gameday/v1") continue;
    out.push({ file, kind: String(doc.kind), data });
  }
  return out;
}
