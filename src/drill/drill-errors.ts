import { ExitCode, GamedayError } from "../errors/gameday-error.js";

/** A token no responder of this drill holds: HTTP 403; the CLI exits 2. */
export class UnknownResponderError extends GamedayError {
  readonly status = 403;
  constructor(message = "unknown responder: this token belongs to no responder of this drill") {
    super("E_UNKNOWN_RESPONDER", message, ExitCode.invalid);
  }
}

/** An action on a drill that already ended: HTTP 409, nothing changed; the CLI exits 4 (not run). */
export class DrillEndedError extends GamedayError {
  readonly status = 409;
  constructor(what: string) {
    super("E_DRILL_ENDED", `the drill has ended: ${what} was not recorded, nothing changed`, ExitCode.notRun);
  }
}

/** A malformed request body (an answer outside the choices, an empty note): HTTP 400. */
export class DrillRequestError extends GamedayError {
  readonly status = 400;
  constructor(message: string) {
    super("E_DRILL_REQUEST", message, ExitCode.invalid);
  }
}
