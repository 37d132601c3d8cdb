import { ExitCode, GamedayError } from "./gameday-error.js";

/** A run refused by its target's alert guard (an alert firing, or Prometheus unreadable): exit 4, nothing touched. */
export class AlertGuardError extends GamedayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_ALERT_GUARD", message, ExitCode.notRun, options);
  }
}
