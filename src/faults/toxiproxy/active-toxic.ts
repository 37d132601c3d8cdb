import type { Toxic } from "toxiproxy-node-client";
import { RollbackError } from "../../errors/gameday-error.js";
import type { ActiveFault, FaultPresence } from "../../interfaces/injector.js";
import { errorText, rereadProxy } from "./reread-proxy.js";
import { describeToxicState, sameToxic } from "./toxic-body.js";
import type { RemoveOutcome, ToxiproxyApi } from "./toxiproxy-api.js";

/** One toxic gameday added; its name is the owner tag. */
export class ActiveToxic implements ActiveFault {
  readonly family = "toxiproxy";
  readonly ownerTag: string;
  private outcome: RemoveOutcome | undefined;

  constructor(
    private readonly api: ToxiproxyApi,
    private readonly toxic: Toxic<unknown>,
    readonly proxy: string,
    readonly fault: string,
    readonly description: string,
  ) {
    this.ownerTag = toxic.name;
  }

  /** What the successful revert found: it removed the toxic, or it was already gone (alone or with its proxy). */
  get revertOutcome(): RemoveOutcome | undefined {
    return this.outcome;
  }

  async stillInPlace(): Promise<FaultPresence> {
    const state = await this.api.proxy(this.proxy);
    if (!state)
      return { inPlace: false, why: `proxy ${this.proxy} was deleted from Toxiproxy at ${this.api.url}` };
    const now = state.toxics.find((t) => t.name === this.ownerTag);
    if (!now)
      return {
        inPlace: false,
        why: `toxic "${this.ownerTag}" was removed from proxy ${this.proxy} by someone else`,
      };
    if (!sameToxic(now, this.toxic))
      return {
        inPlace: false,
        why: `toxic "${this.ownerTag}" on proxy ${this.proxy} was changed by someone else (now ${describeToxicState(now)})`,
      };
    return { inPlace: true };
  }

  async revert(): Promise<void> {
    // Once removed, a second call must not touch a toxic someone else may have created since.
    if (this.outcome) return;
    try {
      this.outcome = await this.api.removeToxic(this.toxic);
    } catch (err) {
      throw new RollbackError(
        `could not remove toxic "${this.ownerTag}" from proxy ${this.proxy} on Toxiproxy at ${this.api.url} ` +
          `(${errorText(err)}); it may remain: \`gameday recover\` finds it by its name`,
        { cause: err },
      );
    }
  }

  async verifyReverted(): Promise<void> {
    const state = await rereadProxy(this.api, this.proxy, this.ownerTag);
    const left = state.toxics.find((t) => t.name === this.ownerTag);
    if (left)
      throw new RollbackError(
        `toxic "${this.ownerTag}" (${describeToxicState(left)}) is still on proxy ${this.proxy} at ${this.api.url}`,
      );
  }
}
