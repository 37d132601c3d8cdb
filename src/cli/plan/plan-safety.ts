import { GamedayError } from "../../errors/gameday-error.js";
import { HaltedError } from "../../errors/halted-error.js";
import type { HaltSwitch } from "../../interfaces/halt-switch.js";
import { plannedDuration } from "../../run/planned-duration.js";
import { checkAlertGuard } from "../../safety/alert-guard.js";
import { blackoutRefusal } from "../../safety/blackout-window.js";
import type { ResolvedInput } from "../inputs.js";

export interface SafetyReport {
  /** What the run's safety checks would look at, for the plan. */
  lines: string[];
  /** The refusals a run started now would meet (exit 4), in the runner's order. */
  problems: string[];
}

/**
 * The safety switches a run's preflight checks, as `plan` shows them: the halt switch, the
 * target's blackout windows over the run's planned duration from now, its alert guard. The
 * same functions as the runner's, so the plan cannot promise a run that would be refused.
 */
export async function planSafety(input: ResolvedInput, halt: HaltSwitch): Promise<SafetyReport> {
  const lines: string[] = [];
  const problems: string[] = [];
  const halted = await halt.current();
  if (halted) problems.push(new HaltedError(halted, halt.where).message);
  else lines.push(`halt switch (${halt.where}): not in force`);
  const windows = input.target.blackouts;
  const blackout = blackoutRefusal(windows, input.targetName, Date.now(), plannedDuration(input.experiment));
  if (blackout) problems.push(blackout);
  else
    lines.push(
      windows.length
        ? `blackout windows: ${windows.map((w) => w.name).join(", ")} (none reached by a run started now)`
        : "blackout windows: none",
    );
  const guarded = input.target.guards?.alerts?.names ?? [];
  if (guarded.length)
    try {
      await checkAlertGuard(input.targetName, input.target);
      lines.push(`alert guard: ${guarded.join(", ")} (none firing)`);
    } catch (err) {
      if (!(err instanceof GamedayError)) throw err;
      problems.push(err.message);
    }
  return { lines, problems };
}
