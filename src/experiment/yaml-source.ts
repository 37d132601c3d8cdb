import { type Document, isScalar, LineCounter, parseAllDocuments, visit } from "yaml";
import type { InputIssue } from "../errors/gameday-error.js";

/** One parsed YAML file, kept with its positions so any field can be traced back to line:column. */
export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

/** `source` is there when the first document can be validated; `issues` may hold more problems. */
export interface ParsedYaml {
  source?: YamlSource;
  issues: InputIssue[];
}

export function positionAt(lineCounter: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * Parses one YAML document. Syntax errors, a second document and an empty file all become
 * located issues; `expected` says what the file should contain, for the empty-file message.
 * A second document does not stop the first from being validated: all issues come at once.
 */
export function parseYamlSource(text: string, file: string, expected: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // prettyErrors off: we place errors ourselves, yaml's own text would repeat the position.
  // uniqueKeys off: yaml compares each key with every earlier one (50,000 keys take minutes);
  // duplicateKeys() below finds the same duplicates in one pass.
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const at = (offset: number) => ({ file, ...positionAt(lineCounter, offset) });

  // Empty documents (a stray "---", a comments-only file) carry nothing to validate: skip them.
  const meaningful = docs.filter((d) => d.contents !== null || d.errors.length > 0);
  const first = meaningful[0];
  if (first === undefined) {
    return { issues: [{ file, line: 1, column: 1, path: "", message: `empty file: expected ${expected}` }] };
  }

  const issues: InputIssue[] = [];
  const lines = new Set<number>();
  const errors = meaningful.flatMap((d) => [
    ...d.errors.map((e) => ({ offset: e.pos[0], message: e.message })),
    ...duplicateKeys(d),
  ]);
  errors.sort((a, b) => a.offset - b.offset);
  for (const error of errors) {
    const position = at(error.offset);
    // After one syntax error yaml reports every following token of the line: keep the first.
    if (lines.has(position.line)) continue;
    lines.add(position.line);
    issues.push({
      ...position,
      path: "",
      message: `invalid YAML: ${error.message}${hint(text, error.offset, error.message)}`,
    });
  }
  const broken = issues.length > 0;
  const second = meaningful[1];
  if (second !== undefined) {
    issues.push({
      ...at(documentStart(text, second)),
      path: "",
      message: `expected one document per file, found ${meaningful.length} (separated by "---"): put each in its own file`,
    });
  }
  return broken ? { issues } : { source: { file, text, doc: first, lineCounter }, issues };
}

/** Every second occurrence of a scalar key in a mapping, as yaml's own uniqueKeys check reports it. */
function duplicateKeys(doc: Document.Parsed): { offset: number; message: string }[] {
  const found: { offset: number; message: string }[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = `${typeof pair.key.value}:${String(pair.key.value)}`;
        if (seen.has(key))
          found.push({ offset: pair.key.range?.[0] ?? 0, message: "Map keys must be unique" });
        else seen.add(key);
      }
    },
  });
  return found;
}

/** A document's range may start at comments before its "---": point at the marker itself. */
function documentStart(text: string, doc: Document.Parsed): number {
  const from = doc.range[0];
  const contentStart = doc.contents?.range?.[0] ?? doc.range[1];
  const marker = text.indexOf("---", from);
  return marker >= 0 && marker <= contentStart ? marker : from;
}

/** `{ rate: ${RATE} }` is a YAML error (braces in a flow collection): say how to write it. */
function hint(text: string, offset: number, message: string): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const lineEnd = text.indexOf("\n", offset);
  const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  return /flow/i.test(message) && line.includes("${")
    ? // biome-ignore lint/suspicious/noTemplateCurlyInString: ${VAR} is our interpolation syntax, not a typo
      ' (inside { } or [ ], quote a value that uses ${VAR}: "${VAR}")'
    : "";
}

/** The last few texts read through peekYamlSource, newest last. */
const peeked = new Map<string, ParsedYaml>();
const PEEKED_MAX = 8;

/**
 * A parse for reading only (a file's kind, name or declared parameters): one text asked about
 * by the game day loader, the matrix and validate is parsed once, not once per question. Never
 * for loading: loaders edit their document in place, and this one is shared.
 */
export function peekYamlSource(text: string): ParsedYaml {
  const known = peeked.get(text);
  if (known) return known;
  const parsed = parseYamlSource(text, "", "");
  peeked.set(text, parsed);
  if (peeked.size > PEEKED_MAX) peeked.delete(peeked.keys().next().value as string);
  return parsed;
}
