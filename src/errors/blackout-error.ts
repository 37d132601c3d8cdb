import { ExitCode, GamedayError } from "./gameday-error.js";

/** A run refused because its target is in (or would run into) a blackout window: exit 4, nothing touched. */
export class BlackoutError extends GamedayError {
  constructor(message: string) {
    super("E_BLACKOUT", message, ExitCode.notRun);
  }
}
