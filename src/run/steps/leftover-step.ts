import { PreflightError } from "../../errors/gameday-error.js";
import { familyOf } from "../../faults/injector-registry.js";
import { ownedByUs } from "../../faults/orphan-sweep.js";
import type { OrphanFault } from "../../interfaces/injector.js";
import type { RunContext } from "../run-context.js";

function recoverHint(o: OrphanFault, target: string, installation: string): string {
  if (!ownedByUs(o, installation))
    return `it belongs to gameday installation ${o.installation}: recover it there, or here with \`GAMEDAY_INSTALLATION=${o.installation} gameday recover --target ${target} --run ${o.runId}\``;
  return `recover it with \`gameday recover --target ${target}${o.runId ? ` --run ${o.runId}` : ""}\``;
}

/**
 * After the lock is held: a gameday fault of another run still in the target (a kill -9 mid-fault,
 * a run of another installation) would be measured as if it were this run's. Refuse (exit 4), naming
 * the run and the command that recovers it, before the steady state is even looked at.
 */
export async function leftoverStep(ctx: RunContext): Promise<void> {
  const families = new Set(ctx.experiment.spec.faults.map(familyOf));
  const target = ctx.experiment.spec.target;
  for (const injector of ctx.injectors.all().filter((i) => families.has(i.family as never))) {
    let found: OrphanFault[];
    try {
      found = await injector.findOrphans();
    } catch (err) {
      throw new PreflightError(
        `cannot check ${injector.family} for leftover gameday faults: ${(err as Error).message}`,
        { cause: err },
      );
    }
    const other = found.find((o) => o.runId !== ctx.runId || !ownedByUs(o, ctx.installation));
    if (other)
      throw new PreflightError(
        `target "${target}" already carries a gameday fault of run ${other.runId || "(unreadable owner tag)"}: ` +
          `${other.description} (owner tag ${other.ownerTag}); nothing was injected. ${recoverHint(other, target, ctx.installation)}`,
      );
  }
}
