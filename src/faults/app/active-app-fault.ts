import type { ActiveAppFault as AppliedFault } from "../../../sandbox-services/lib/control/app-fault-contract.js";
import { RollbackError } from "../../errors/gameday-error.js";
import type { ActiveFault, FaultPresence } from "../../interfaces/injector.js";
import { errorText } from "../revert-error.js";
import type { AppControlClient } from "./app-control-client.js";

/** What GET shows must equal what was applied: same kind, owner and params. */
function sameFault(a: AppliedFault, b: AppliedFault): boolean {
  return a.kind === b.kind && a.owner === b.owner && JSON.stringify(a.params) === JSON.stringify(b.params);
}

/**
 * One app fault in a service, its id being its owner tag. Revert is DELETE then GET: the id must
 * be gone and what it changed back exactly (the pool's size, the drifted config value).
 */
export class ActiveAppFault implements ActiveFault {
  readonly family = "app";
  readonly ownerTag: string;
  private reverted = false;

  constructor(
    private readonly client: AppControlClient,
    private readonly service: string,
    private readonly applied: AppliedFault,
    readonly fault: string,
    readonly description: string,
  ) {
    this.ownerTag = applied.owner;
  }

  async stillInPlace(): Promise<FaultPresence> {
    const now = (await this.client.list()).faults.find((f) => f.id === this.applied.id);
    if (!now)
      return {
        inPlace: false,
        why: `app fault ${this.applied.id} was removed from ${this.service} by someone else (or it restarted)`,
      };
    if (!sameFault(now, this.applied))
      return {
        inPlace: false,
        why: `app fault ${this.applied.id} in ${this.service} was changed by someone else`,
      };
    return { inPlace: true };
  }

  async revert(): Promise<void> {
    if (this.reverted) return;
    try {
      await this.client.remove(this.applied.id);
      this.reverted = true;
    } catch (err) {
      throw new RollbackError(
        `could not revert app fault ${this.applied.id} in ${this.service} at ${this.client.url} (${errorText(err)}); ` +
          "it may remain: `gameday recover` finds it by its owner tag",
        { cause: err },
      );
    }
  }

  async verifyReverted(): Promise<void> {
    await verifyGone(this.client, this.service, this.applied);
  }
}

/** GET after DELETE: the id absent and the value it changed back at its prior value. */
export async function verifyGone(
  client: AppControlClient,
  service: string,
  applied: AppliedFault,
): Promise<void> {
  let list: Awaited<ReturnType<AppControlClient["list"]>>;
  try {
    list = await client.list();
  } catch (err) {
    throw new RollbackError(
      `cannot verify that app fault ${applied.id} left ${service} (${errorText(err)}); it may remain`,
      { cause: err },
    );
  }
  if (list.faults.some((f) => f.id === applied.id))
    throw new RollbackError(
      `app fault ${applied.id} (${applied.kind}) is still applied in ${service} at ${client.url}`,
    );
  if (applied.prior === null) return;
  const now =
    applied.kind === "pool-shrink"
      ? list.state.poolSize
      : applied.kind === "config-drift"
        ? list.state.config[String(applied.params.key)]
        : applied.prior;
  if (now !== applied.prior)
    throw new RollbackError(
      `${applied.kind} ${applied.id} was reverted in ${service}, but the value is ${now}, not the prior ${applied.prior}`,
    );
}
