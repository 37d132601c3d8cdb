import type { Toxic } from "toxiproxy-node-client";
import { RollbackError } from "../../errors/gameday-error.js";
import type { ActiveFault, FaultPresence } from "../../interfaces/injector.js";
import { errorText, rereadProxy } from "./reread-proxy.js";
import type { ToxiproxyApi } from "./toxiproxy-api.js";

/** A proxy gameday disabled, plus the marker toxic that records who did it. */
export class ActiveOutage implements ActiveFault {
  readonly family = "toxiproxy";
  readonly ownerTag: string;
  private reverted = false;

  constructor(
    private readonly api: ToxiproxyApi,
    private readonly marker: Toxic<unknown>,
    readonly proxy: string,
    readonly fault: string,
    readonly description: string,
  ) {
    this.ownerTag = marker.name;
  }

  async stillInPlace(): Promise<FaultPresence> {
    const state = await this.api.proxy(this.proxy);
    if (!state)
      return { inPlace: false, why: `proxy ${this.proxy} was deleted from Toxiproxy at ${this.api.url}` };
    if (state.enabled)
      return {
        inPlace: false,
        why: `proxy ${this.proxy} was enabled again by someone else during the outage`,
      };
    if (!state.toxics.some((t) => t.name === this.ownerTag))
      return { inPlace: false, why: `outage marker "${this.ownerTag}" was removed from proxy ${this.proxy}` };
    return { inPlace: true };
  }

  async revert(): Promise<void> {
    // Once restored, a second call must not re-enable a proxy someone else disabled since.
    if (this.reverted) return;
    try {
      // Enable first, marker last: a crash in between leaves the marker, so recover still finds the proxy.
      const state = await this.api.setEnabled(this.proxy, true);
      if (state) await this.api.removeToxic(this.marker);
    } catch (err) {
      throw new RollbackError(
        `could not re-enable proxy ${this.proxy} on Toxiproxy at ${this.api.url} (${errorText(err)}); it may ` +
          `still be disabled, with marker toxic "${this.ownerTag}": \`gameday recover\` finds it`,
        { cause: err },
      );
    }
    this.reverted = true;
  }

  async verifyReverted(): Promise<void> {
    const state = await rereadProxy(this.api, this.proxy, this.ownerTag);
    const remains: string[] = [];
    if (!state.enabled) remains.push(`proxy ${this.proxy} is still disabled (connections refused)`);
    if (state.toxics.some((t) => t.name === this.ownerTag))
      remains.push(`outage marker toxic "${this.ownerTag}" is still on proxy ${this.proxy}`);
    if (remains.length) throw new RollbackError(`${remains.join("; ")} at ${this.api.url}`);
  }
}
