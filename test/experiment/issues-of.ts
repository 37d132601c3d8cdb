import { type InputIssue, ValidationError } from "../../src/errors/gameday-error.js";

/** A file's text from its lines, so a test reads with its line numbers in plain sight. */
export const lines = (...rows: string[]): string => `${rows.join("\n")}\n`;

/** The InputIssues `load` throws (in a ValidationError); fails the test when it does not throw one. */
export async function issuesOf(load: () => unknown): Promise<InputIssue[]> {
  try {
    await load();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error("expected a ValidationError, but the input was accepted");
}

/** Lines 1-5 of a minimal experiment; faults start at line 6. */
export const HEAD = [
  "apiVersion: gameday/v1",
  "kind: Experiment",
  "metadata: { name: t }",
  "spec:",
  "  target: sandbox",
] as const;

/** Line and 1-based column of `needle` on line `line` of `text`: where an issue should point. */
export function at(text: string, line: number, needle: string): { line: number; column: number } {
  const index = text.split("\n")[line - 1]?.indexOf(needle) ?? -1;
  if (index < 0) throw new Error(`"${needle}" is not on line ${line}`);
  return { line, column: index + 1 };
}
