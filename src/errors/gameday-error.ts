/** Exit codes of `gameday run`, as DESIGN.md fixes them. */
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
}

export function formatIssue(i: InputIssue): string {
  const where = i.line !== undefined ? `${i.file}:${i.line}:${i.column ?? 1}` : i.file;
  return `${where}: ${i.path ? `${i.path}: ` : ""}${i.message}`;
}

/** Invalid input: exit 2, nothing touched. */
export class ValidationError extends GamedayError {
  readonly issues: InputIssue[];
  constructor(issues: InputIssue[]) {
    super("E_INVALID", issues.map(formatIssue).join("\n"), ExitCode.invalid);
    this.issues = issues;
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
