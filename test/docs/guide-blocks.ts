import { readFileSync } from "node:fs";

/** A fenced code block of a guide, with the `<!-- own-stack: ... -->` directive just above it. */
export interface GuideBlock {
  directive: string;
  lang: string;
  body: string;
}

const BLOCK = /<!--\s*own-stack:\s*(.*?)\s*-->\s*\n```(\w*)\n([\s\S]*?)\n```/g;

/**
 * The annotated blocks of a Markdown guide, in order. The test runs exactly these, so the
 * commands a reader copies are the commands that are tested.
 */
export function guideBlocks(file: string): GuideBlock[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(BLOCK)].map((m) => ({
    directive: m[1] ?? "",
    lang: m[2] ?? "",
    body: `${m[3] ?? ""}\n`,
  }));
}

/** The command lines of a shell block: comments and blank lines dropped. */
export function commandLines(block: GuideBlock): string[] {
  return block.body
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/** Splits a command line into words; the guide's commands need no quoting. */
export function words(line: string): string[] {
  if (/["'`$\\|;&<>]/.test(line)) throw new Error(`the guide's commands must be plain words: ${line}`);
  return line.split(/\s+/);
}
