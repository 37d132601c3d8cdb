import { InfrastructureError, PreflightError } from "../../errors/gameday-error.js";
import { ActiveOutage } from "./active-outage.js";
import { addOwnedToxic, proxyMissing } from "./add-owned-toxic.js";
import { outageMarkerBody } from "./outage-marker.js";
import { errorText } from "./reread-proxy.js";
import type { ProxyState, ToxiproxyApi } from "./toxiproxy-api.js";

/**
 * Disables a freshly read proxy. The marker toxic goes first, so ownership is recorded in Toxiproxy
 * before any harm is done; if disabling fails, the marker is taken back.
 */
export async function startOutage(
  api: ToxiproxyApi,
  fault: string,
  proxy: ProxyState,
  ownerTag: string,
  description: string,
): Promise<ActiveOutage> {
  if (!proxy.enabled)
    throw new PreflightError(
      `fault "${fault}": proxy ${proxy.name} on ${api.url} is already disabled, not by this run; ` +
        "refusing, because reverting the outage would enable it",
    );
  const marker = await addOwnedToxic(api, fault, proxy, outageMarkerBody(ownerTag));
  let disabled: ProxyState | undefined;
  try {
    disabled = await api.setEnabled(proxy.name, false);
  } catch (err) {
    await api.removeToxic(marker).catch(() => undefined); // a marker alone is harmless; recover finds it
    throw new InfrastructureError(`could not disable proxy ${proxy.name} on ${api.url}: ${errorText(err)}`, {
      cause: err,
    });
  }
  if (!disabled) throw proxyMissing(api, fault, proxy.name);
  return new ActiveOutage(api, marker, proxy.name, fault, description);
}
