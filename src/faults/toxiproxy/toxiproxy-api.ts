import {
  Proxy as ClientProxy,
  type ICreateToxicBody,
  Toxic,
  type ToxicAttributeTypes,
  Toxiproxy,
} from "toxiproxy-node-client";
import { ToxiproxyHttpError, ToxiproxyTransport } from "./toxiproxy-transport.js";

/** A proxy as Toxiproxy's API returns it, toxics included (the client's Proxy object drops them). */
// The shape the client reads a proxy from (its public constructor), so no deep import of its types.
export type ProxyState = ConstructorParameters<typeof ClientProxy>[1];
export type ToxicState = ProxyState["toxics"][number];
export type ToxicBody = ICreateToxicBody<ToxicAttributeTypes>;
export type RemoveOutcome = "removed" | "toxic-gone" | "proxy-gone";

/** Characters that would change the meaning of a URL path: such names cannot be addressed safely. */
const UNADDRESSABLE = /[/?#%\\\s]/;
export function addressable(name: string): boolean {
  return name.length > 0 && !UNADDRESSABLE.test(name);
}

/** True for a 404 whose body names what was missing ("proxy not found", "toxic not found"). */
export function notFound(err: unknown, what: "proxy" | "toxic"): boolean {
  return err instanceof ToxiproxyHttpError && err.status === 404 && err.serverError === `${what} not found`;
}

/**
 * The few Toxiproxy calls gameday needs, on toxiproxy-node-client with its gaps filled: a deadline and the
 * server's error text on every call, reads that keep toxics, and a partial `{enabled}` update.
 */
export class ToxiproxyApi {
  readonly url: string;
  private readonly client: Toxiproxy;

  constructor(url: string, timeoutMs = 5000) {
    this.url = url.replace(/\/+$/, "");
    this.client = new Toxiproxy(this.url);
    this.client.api = new ToxiproxyTransport(timeoutMs);
  }

  async proxies(): Promise<ProxyState[]> {
    const { data } = await this.client.api.get<Record<string, ProxyState>>(`${this.url}/proxies`);
    return Object.values(data);
  }

  /** undefined when the server has no such proxy. */
  async proxy(name: string): Promise<ProxyState | undefined> {
    try {
      return (await this.client.api.get<ProxyState>(this.proxyPath(name))).data;
    } catch (err) {
      if (notFound(err, "proxy")) return undefined;
      throw err;
    }
  }

  /** One round trip; Toxiproxy itself refuses a duplicate name with 409. */
  addToxic(proxy: ProxyState, body: ToxicBody): Promise<Toxic<ToxicAttributeTypes>> {
    return new ClientProxy(this.client, proxy).addToxic(body);
  }

  /** A handle on a toxic found by listing, so it can be removed like one we added. */
  toxicHandle(proxyName: string, toxic: ToxicState): Toxic<unknown> {
    return new Toxic(this.client.api, this.proxyPath(proxyName), toxic);
  }

  /** Already gone (toxic or whole proxy) is an outcome, not an error: revert must be idempotent. */
  async removeToxic(toxic: Toxic<unknown>): Promise<RemoveOutcome> {
    try {
      // Not toxic.remove(): the client puts the name into the path unencoded, and a name read back from
      // the server (`gameday.x/../../../payments`) would then address another resource.
      await this.client.api.delete(`${toxic.proxyPath}/toxics/${encodeURIComponent(toxic.name)}`);
      return "removed";
    } catch (err) {
      if (notFound(err, "toxic")) return "toxic-gone";
      if (notFound(err, "proxy")) return "proxy-gone";
      throw err;
    }
  }

  /**
   * Partial update: the client's Proxy#update insists on listen and upstream, and re-sending old values
   * could undo someone else's change; Toxiproxy 2.12 accepts `{enabled}` alone.
   */
  async setEnabled(proxyName: string, enabled: boolean): Promise<ProxyState | undefined> {
    try {
      return (await this.client.api.post<ProxyState>(this.proxyPath(proxyName), { enabled })).data;
    } catch (err) {
      if (notFound(err, "proxy")) return undefined;
      throw err;
    }
  }

  private proxyPath(name: string): string {
    return `${this.url}/proxies/${encodeURIComponent(name)}`;
  }
}
