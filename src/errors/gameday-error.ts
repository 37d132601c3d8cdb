/** Exit codes of `gameday run` (docs/design.md: meaning and precedence). */
export const ExitCode = {
  passed: 0,
  failed: 1,
  invalid: 2,
  aborted: 3,
  notRun: 4,
  error: 5,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Base of our errors: a stable `code` for programs and the exit code the CLI should use. */
export class GamedayError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;
  constructor(code: string, message: string, exitCode: ExitCodeValue, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** One problem in an input file, located for a human. */
export interface InputIssue {
  file: string;
  line?: number | undefined;
  column?: number | undefined;
  path: string;
  message: string;
  /** Set on the one issue that stands for this many more of the same file, left out. */
  omitted?: number | undefined;
}

/** A hostile file can have 100,000 issues or a megabyte-long name: what is shown stays readable. */
export const ISSUE_LIMITS = { perFile: 50, message: 400, path: 200, file: 300 } as const;

/** `text` cut to `max` characters, saying how much was cut, so nothing is echoed in megabytes. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length - max} more characters)`;
}

/**
 * At most ISSUE_LIMITS.perFile issues per file, each clipped, and one closing issue per file
 * counting the rest. Idempotent: counts of an earlier capping are carried, not capped again.
 */
export function boundIssues(issues: readonly InputIssue[]): InputIssue[] {
  const out: InputIssue[] = [];
  const shown = new Map<string, number>();
  const hidden = new Map<string, number>();
  for (const issue of issues) {
    if (issue.omitted) {
      hidden.set(issue.file, (hidden.get(issue.file) ?? 0) + issue.omitted);
      continue;
    }
    const count = shown.get(issue.file) ?? 0;
    if (count >= ISSUE_LIMITS.perFile) {
      hidden.set(issue.file, (hidden.get(issue.file) ?? 0) + 1);
      continue;
    }
    shown.set(issue.file, count + 1);
    out.push({
      ...issue,
      file: clip(issue.file, ISSUE_LIMITS.file),
      path: clip(issue.path, ISSUE_LIMITS.path),
      message: clip(issue.message, ISSUE_LIMITS.message),
    });
  }
  for (const [file, omitted] of hidden)
    out.push({
      file: clip(file, ISSUE_LIMITS.file),
      path: "",
      message: `... and ${omitted} more issue${omitted === 1 ? "" : "s"} in this file, not shown: fix the ones above first`,
      omitted,
    });
  return out;
}

export function formatIssue(i: InputIssue): string {
  const where = i.line !== undefined ? `${i.file}:${i.line}:${i.column ?? 1}` : i.file;
  return `${where}: ${i.path ? `${i.path}: ` : ""}${i.message}`;
}

/** Invalid input: exit 2, nothing touched. */
export class ValidationError extends GamedayError {
  readonly issues: InputIssue[];
  constructor(issues: readonly InputIssue[]) {
    const bounded = boundIssues(issues);
    super("E_INVALID", bounded.map(formatIssue).join("\n"), ExitCode.invalid);
    this.issues = bounded;
  }
}

/** A target could not be resolved or reached before anything was injected: exit 4. */
export class PreflightError extends GamedayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_PREFLIGHT", message, ExitCode.notRun, options);
  }
}

/** Infrastructure failed mid-run: exit 5. */
export class InfrastructureError extends GamedayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_INFRA", message, ExitCode.error, options);
  }
}

/** A revert that could not be verified: exit 5, and the message says what may remain. */
export class RollbackError extends GamedayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_ROLLBACK", message, ExitCode.error, options);
  }
}

/**
 * A fault of this run was removed or changed by someone else during the method: what was observed
 * no longer follows from what was injected, so the run is an error (exit 5), never a verdict.
 */
export class FaultChangedError extends GamedayError {
  constructor(message: string) {
    super("E_FAULT_CHANGED", message, ExitCode.error);
  }
}
