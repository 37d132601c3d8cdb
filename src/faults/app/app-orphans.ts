import type { ActiveAppFault as AppliedFault } from "../../../sandbox-services/lib/control/app-fault-contract.js";
import { RollbackError } from "../../errors/gameday-error.js";
import type { OrphanFault } from "../../interfaces/injector.js";
import { hasOwnerPrefix, parseOwnerTag } from "../owner-tag.js";
import { verifyGone } from "./active-app-fault.js";
import type { AppControlClient } from "./app-control-client.js";

export type AppOrphan = OrphanFault & { service: string; id: string };

/** Every owner-tagged app fault of the allow-listed services (one run's when runId is given). */
export async function listAppOrphans(
  clients: ReadonlyMap<string, AppControlClient>,
  runId?: string,
): Promise<AppOrphan[]> {
  const found: AppOrphan[] = [];
  for (const [service, client] of clients) {
    for (const f of (await client.list()).faults) {
      if (!hasOwnerPrefix(f.owner)) continue;
      const owner = parseOwnerTag(f.owner) ?? { runId: "", fault: "", installation: undefined };
      if (runId !== undefined && owner.runId !== runId) continue;
      found.push({
        family: "app",
        ownerTag: f.owner,
        runId: owner.runId,
        installation: owner.installation,
        service,
        id: f.id,
        description: `${f.kind} ${JSON.stringify(f.params)} in ${service} (app fault ${f.id} at ${client.url})`,
      });
    }
  }
  return found;
}

/** Re-reads every allow-listed service, reverts what carries this owner tag now, and verifies it. */
export async function revertAppOrphanTag(
  clients: ReadonlyMap<string, AppControlClient>,
  ownerTag: string,
): Promise<void> {
  const found: { service: string; client: AppControlClient; fault: AppliedFault }[] = [];
  for (const [service, client] of clients)
    for (const fault of (await client.list()).faults)
      if (fault.owner === ownerTag) found.push({ service, client, fault });
  for (const { service, client, fault } of found) {
    try {
      await client.remove(fault.id);
    } catch (err) {
      throw new RollbackError(
        `could not revert app fault ${fault.id} in ${service}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  }
  for (const { service, client, fault } of found) await verifyGone(client, service, fault);
}
