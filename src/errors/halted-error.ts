import { describeHalt, type HaltState } from "../safety/halt-state.js";
import { ExitCode, GamedayError } from "./gameday-error.js";

/** A run, job or enqueue refused because `gameday halt` is in force: exit 4, nothing touched. */
export class HaltedError extends GamedayError {
  constructor(
    readonly halt: HaltState,
    where: string,
  ) {
    super(
      "E_HALTED",
      `refused: runs are halted (${describeHalt(halt)}; in ${where}); nothing was touched. \`gameday resume\` lifts the halt`,
      ExitCode.notRun,
    );
  }
}
