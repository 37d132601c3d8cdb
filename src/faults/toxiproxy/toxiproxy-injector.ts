import { InfrastructureError, PreflightError } from "../../errors/gameday-error.js";
import type { FaultSpec } from "../../experiment/schema.js";
import type { ToxiproxyFaultSpec } from "../../experiment/toxiproxy-fault-schema.js";
import {
  type ActiveFault,
  type FaultInjector,
  type InjectContext,
  type OrphanFault,
  ownerTag,
  type PlannedFault,
} from "../../interfaces/injector.js";
import type { Target } from "../../targets/targets-schema.js";
import { revertError } from "../revert-error.js";
import { ActiveToxic } from "./active-toxic.js";
import { addOwnedToxic, proxyMissing } from "./add-owned-toxic.js";
import { errorText } from "./reread-proxy.js";
import { startOutage } from "./start-outage.js";
import { describeProxy, describeToxic, toxicBody } from "./toxic-body.js";
import { addressable, type ProxyState, ToxiproxyApi } from "./toxiproxy-api.js";
import { listOrphans, revertOrphanTag, type ToxiproxyOrphan } from "./toxiproxy-orphans.js";

export type ToxiproxyTarget = NonNullable<Target["toxiproxy"]>;

function specOf(fault: FaultSpec): ToxiproxyFaultSpec {
  if (!fault.toxiproxy) throw new PreflightError(`fault "${fault.name}" is not a toxiproxy fault`);
  return fault.toxiproxy;
}

function actionOf(spec: ToxiproxyFaultSpec, proxy: ProxyState): string {
  if (spec.toxic === "outage") return `outage: ${describeProxy(proxy)} disabled, connections refused`;
  return `${describeToxic(spec)} on ${describeProxy(proxy)}`;
}

/** Latency, bandwidth, resets, ... and whole-dependency outages through one Toxiproxy server. */
export class ToxiproxyInjector implements FaultInjector {
  readonly family = "toxiproxy";
  private readonly api: ToxiproxyApi;
  private readonly allowed: readonly string[];
  /** Proxies already read: a toxic needs only the proxy's name and addresses, so inject skips the lookup. */
  private readonly known = new Map<string, ProxyState>();

  constructor(target: ToxiproxyTarget, options: { timeoutMs?: number } = {}) {
    this.api = new ToxiproxyApi(target.url, options.timeoutMs);
    this.allowed = [...target.proxies];
  }

  async plan(fault: FaultSpec): Promise<PlannedFault> {
    const spec = specOf(fault);
    let proxies: ProxyState[];
    try {
      proxies = await this.api.proxies();
    } catch (err) {
      throw new PreflightError(`Toxiproxy at ${this.api.url} does not answer: ${errorText(err)}`, {
        cause: err,
      });
    }
    for (const p of proxies) this.known.set(p.name, p);
    this.checkAllowed(fault.name, spec.proxy);
    const proxy = proxies.find((p) => p.name === spec.proxy);
    if (!proxy) {
      const names = proxies.map((p) => p.name).join(", ") || "none";
      throw new PreflightError(
        `fault "${fault.name}": proxy "${spec.proxy}" does not exist on Toxiproxy at ${this.api.url} (it has: ${names})`,
      );
    }
    const target = `${this.api.url}/proxies/${proxy.name}`;
    return { fault: fault.name, family: this.family, action: actionOf(spec, proxy), targets: [target] };
  }

  async inject(fault: FaultSpec, ctx: InjectContext): Promise<ActiveFault> {
    const spec = specOf(fault);
    this.checkAllowed(fault.name, spec.proxy);
    const tag = ownerTag(ctx.runId, fault.name, ctx.installation);
    if (!addressable(tag))
      throw new PreflightError(
        `run id "${ctx.runId}" cannot be part of a toxic name (no / ? # % \\ or spaces)`,
      );
    if (spec.toxic === "outage") {
      const fresh = await this.lookup(fault.name, spec.proxy); // an outage needs the current enabled state
      return startOutage(this.api, fault.name, fresh, tag, actionOf(spec, fresh));
    }
    const proxy = this.known.get(spec.proxy) ?? (await this.lookup(fault.name, spec.proxy));
    try {
      const toxic = await addOwnedToxic(this.api, fault.name, proxy, toxicBody(spec, tag));
      return new ActiveToxic(this.api, toxic, proxy.name, fault.name, actionOf(spec, proxy));
    } catch (err) {
      this.known.delete(spec.proxy); // read it afresh next time: it may have changed or vanished
      throw err;
    }
  }

  async findOrphans(runId?: string): Promise<ToxiproxyOrphan[]> {
    try {
      return await listOrphans(this.api, this.allowed, runId);
    } catch (err) {
      throw new InfrastructureError(`cannot list toxics on Toxiproxy at ${this.api.url}: ${errorText(err)}`, {
        cause: err,
      });
    }
  }

  async revertOrphan(orphan: OrphanFault): Promise<void> {
    try {
      await revertOrphanTag(this.api, this.allowed, orphan.ownerTag);
    } catch (err) {
      throw revertError(err, `"${orphan.ownerTag}" on Toxiproxy at ${this.api.url}`);
    }
  }

  private async lookup(fault: string, name: string): Promise<ProxyState> {
    let proxy: ProxyState | undefined;
    try {
      proxy = await this.api.proxy(name);
    } catch (err) {
      throw new InfrastructureError(`Toxiproxy at ${this.api.url} does not answer: ${errorText(err)}`, {
        cause: err,
      });
    }
    if (!proxy) throw proxyMissing(this.api, fault, name);
    this.known.set(name, proxy);
    return proxy;
  }

  private checkAllowed(fault: string, proxy: string): void {
    if (!this.allowed.includes(proxy))
      throw new PreflightError(
        `fault "${fault}": proxy "${proxy}" is not in the target's toxiproxy allow-list (allowed: ${this.allowed.join(", ")})`,
      );
    if (!addressable(proxy))
      throw new PreflightError(
        `fault "${fault}": proxy name "${proxy}" cannot be used in a Toxiproxy API path`,
      );
  }
}
