import type { PlannedExperiment, SuiteMembership } from "../../experiment/expand-game-days.js";
import { readInputFileSync } from "../../experiment/read-input.js";
import type { ResolvedNotifier } from "../../interfaces/notifier.js";
import { planNotifiers } from "../../report/notify/plan-notifiers.js";
import { targetsFilePath } from "../../targets/targets-loader.js";
import type { ResolvedInput } from "../inputs.js";

/** A game day that selects notifiers, with its text, so an unknown name is placed at its line. */
function withText(suite: SuiteMembership | undefined) {
  if (!suite?.notify) return suite;
  let text: string | undefined;
  try {
    text = readInputFileSync(suite.file, "game day file");
  } catch {
    text = undefined; // it was read a moment ago; without it the issue has no line
  }
  return { ...suite, text };
}

/**
 * Each planned run's notifiers as `gameday run` and `gameday plan` both see them: the targets'
 * notifiers, the game days' selections among them, their secrets read (one ValidationError, exit 2,
 * before anything runs or is shown).
 */
export function plannedNotifiers(
  planned: readonly PlannedExperiment[],
  inputs: readonly ResolvedInput[],
  targetsOption: string | undefined,
): ResolvedNotifier[][] {
  return planNotifiers(
    inputs.map((input, i) => ({ ...input, suite: withText(planned[i]?.suite) })),
    targetsFilePath(targetsOption).file,
  );
}
