import { RollbackError } from "../errors/gameday-error.js";

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The one way every injector turns a failed revert into our error: a RollbackError passes through
 * (it already names what remains), anything else is wrapped with what was being reverted and where.
 */
export function revertError(err: unknown, what: string): RollbackError {
  if (err instanceof RollbackError) return err;
  return new RollbackError(
    `cannot revert ${what} (${errorText(err)}); it may remain: \`gameday recover\` finds it by its owner tag`,
    { cause: err },
  );
}
