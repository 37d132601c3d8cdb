import type { Toxic } from "toxiproxy-node-client";
import { InfrastructureError, PreflightError } from "../../errors/gameday-error.js";
import { errorText } from "./reread-proxy.js";
import { notFound, type ProxyState, type ToxicBody, type ToxiproxyApi } from "./toxiproxy-api.js";
import { ToxiproxyHttpError } from "./toxiproxy-transport.js";

export function proxyMissing(api: ToxiproxyApi, fault: string, proxy: string): PreflightError {
  return new PreflightError(`fault "${fault}": proxy "${proxy}" does not exist on Toxiproxy at ${api.url}`);
}

/**
 * Adds a toxic named with its owner tag in one round trip, turning Toxiproxy's answers into our errors:
 * 409 means the name is taken (refuse, never overwrite), 404 means the proxy is gone.
 */
export async function addOwnedToxic(
  api: ToxiproxyApi,
  fault: string,
  proxy: ProxyState,
  body: ToxicBody,
): Promise<Toxic<unknown>> {
  try {
    return await api.addToxic(proxy, body);
  } catch (err) {
    if (err instanceof ToxiproxyHttpError && err.status === 409)
      throw new PreflightError(
        `fault "${fault}": toxic "${body.name}" already exists on proxy ${proxy.name} at ${api.url}; ` +
          "refusing to inject it twice (`gameday recover` removes a leftover)",
      );
    if (notFound(err, "proxy")) throw proxyMissing(api, fault, proxy.name);
    // No answer at all: the server may still have applied it, and only the owner tag can find it now.
    const mayRemain = err instanceof ToxiproxyHttpError && err.status === undefined;
    throw new InfrastructureError(
      `fault "${fault}": Toxiproxy at ${api.url} did not add toxic "${body.name}": ${errorText(err)}` +
        (mayRemain ? " (it may have been applied: `gameday recover` finds it by its name)" : ""),
      { cause: err },
    );
  }
}
