import { RollbackError } from "../../errors/gameday-error.js";
import type { ActiveFault, OrphanFault } from "../../interfaces/injector.js";
import { hasOwnerPrefix, parseOwnerTag } from "../owner-tag.js";
import { ActiveOutage } from "./active-outage.js";
import { ActiveToxic } from "./active-toxic.js";
import { isOutageMarker } from "./outage-marker.js";
import { describeProxy, describeToxicState } from "./toxic-body.js";
import { addressable, type ProxyState, type ToxicState, type ToxiproxyApi } from "./toxiproxy-api.js";

/** An orphan plus where it was seen; revert still re-reads the server, so a plain OrphanFault works too. */
export type ToxiproxyOrphan = OrphanFault & { proxy: string; fault: string; outage: boolean };

/** The allow-listed proxies only: a proxy the target does not name is never listed, let alone changed. */
async function allowedProxies(api: ToxiproxyApi, allowed: readonly string[]): Promise<ProxyState[]> {
  return (await api.proxies()).filter((p) => allowed.includes(p.name));
}

/**
 * Every toxic named `gameday.*` on the allow-listed proxies; a malformed name is listed (runId "")
 * but only unfiltered.
 */
export async function listOrphans(
  api: ToxiproxyApi,
  allowed: readonly string[],
  runId?: string,
): Promise<ToxiproxyOrphan[]> {
  const found: ToxiproxyOrphan[] = [];
  for (const proxy of await allowedProxies(api, allowed)) {
    for (const toxic of proxy.toxics) {
      if (!hasOwnerPrefix(toxic.name)) continue;
      const owner = parseOwnerTag(toxic.name) ?? { runId: "", fault: "", installation: undefined };
      if (runId !== undefined && owner.runId !== runId) continue;
      const outage = isOutageMarker(toxic);
      const what = outage
        ? `outage of ${describeProxy(proxy)}: ${proxy.enabled ? "marker only, proxy already enabled" : "proxy disabled"}`
        : `${describeToxicState(toxic)} on ${describeProxy(proxy)}`;
      found.push({
        family: "toxiproxy",
        ownerTag: toxic.name,
        runId: owner.runId,
        installation: owner.installation,
        fault: owner.fault,
        proxy: proxy.name,
        outage,
        description: `${what} (toxic "${toxic.name}" at ${api.url})`,
      });
    }
  }
  return found;
}

function activeFor(api: ToxiproxyApi, proxy: ProxyState, toxic: ToxicState): ActiveFault {
  const handle = api.toxicHandle(proxy.name, toxic);
  const fault = parseOwnerTag(toxic.name)?.fault ?? toxic.name;
  const description = `orphan ${describeToxicState(toxic)} on ${describeProxy(proxy)}`;
  return isOutageMarker(toxic)
    ? new ActiveOutage(api, handle, proxy.name, fault, description)
    : new ActiveToxic(api, handle, proxy.name, fault, description);
}

/** Reverts whatever carries this owner tag now (re-read, not trusted from the listing), then verifies. */
export async function revertOrphanTag(
  api: ToxiproxyApi,
  allowed: readonly string[],
  ownerTag: string,
): Promise<void> {
  const actives: ActiveFault[] = [];
  for (const proxy of await allowedProxies(api, allowed))
    for (const toxic of proxy.toxics) if (toxic.name === ownerTag) actives.push(activeFor(api, proxy, toxic));
  // gameday never writes such a name: someone crafted it to steer a DELETE elsewhere.
  if (actives.length && !addressable(ownerTag))
    throw new RollbackError(
      `toxic "${ownerTag.slice(0, 120)}" has a name that cannot be used in a Toxiproxy API path (/ ? # % \\ or spaces); not touched: remove it by hand`,
    );
  for (const active of actives) await active.revert();
  for (const active of actives) await active.verifyReverted();
}
