import { RollbackError } from "../../errors/gameday-error.js";
import type { ProxyState, ToxiproxyApi } from "./toxiproxy-api.js";

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Re-reads a proxy to verify a revert. Anything short of a proxy we can inspect is a RollbackError,
 * because "could not look" must never pass for "nothing remains".
 */
export async function rereadProxy(api: ToxiproxyApi, proxy: string, ownerTag: string): Promise<ProxyState> {
  let state: ProxyState | undefined;
  try {
    state = await api.proxy(proxy);
  } catch (err) {
    throw new RollbackError(
      `cannot verify the revert of "${ownerTag}": Toxiproxy at ${api.url} did not answer (${errorText(err)}); ` +
        `toxic "${ownerTag}" may remain on proxy ${proxy}`,
      { cause: err },
    );
  }
  if (!state)
    throw new RollbackError(
      `proxy ${proxy} no longer exists on Toxiproxy at ${api.url}: toxic "${ownerTag}" went with it, so nothing ` +
        `of this fault remains, but the proxy must be re-created before traffic flows through it again`,
    );
  return state;
}
