import { type FaultSpec, faultSchema } from "../../../src/experiment/schema.js";
import { ToxiproxyInjector } from "../../../src/faults/toxiproxy/toxiproxy-injector.js";
import { startSizedHttpUpstream } from "../../support/sized-http-upstream.js";
import { freePort, startToxiproxy } from "../../support/toxiproxy-server.js";

/** Allow-listed proxies; "ledger" also exists on the server but is outside the blast radius. */
export const ALLOWED = ["payments", "inventory"];

type ProxyJson = {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: { name: string }[];
};

/** A real Toxiproxy with proxies in front of a local HTTP upstream, plus direct admin calls for checks. */
export async function startToxiproxyFixture() {
  const server = await startToxiproxy();
  const upstream = await startSizedHttpUpstream();
  const ports = new Map<string, number>();
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      signal: AbortSignal.timeout(5000),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const createProxy = async (name: string) => {
    const port = ports.get(name) ?? (await freePort());
    ports.set(name, port);
    await call("POST", "/proxies", {
      name,
      listen: `127.0.0.1:${port}`,
      upstream: `127.0.0.1:${upstream.port}`,
    });
  };
  for (const name of [...ALLOWED, "ledger"]) await createProxy(name);

  return {
    url: server.url,
    upstreamUrl: `http://127.0.0.1:${upstream.port}`,
    injector: new ToxiproxyInjector({ url: server.url, proxies: ALLOWED }),
    port: (name: string) => ports.get(name) as number,
    createProxy,
    proxy: (name: string) => call("GET", `/proxies/${name}`) as Promise<ProxyJson>,
    deleteProxy: (name: string) => call("DELETE", `/proxies/${name}`),
    removeToxic: (proxy: string, toxic: string) => call("DELETE", `/proxies/${proxy}/toxics/${toxic}`),
    /** Toxiproxy's own reset: removes every toxic and re-enables every proxy, so tests stay independent. */
    reset: () => call("POST", "/reset"),
    stop: async () => {
      await server.stop();
      await upstream.close();
    },
  };
}

export type ToxiproxyFixture = Awaited<ReturnType<typeof startToxiproxyFixture>>;

/** A fault as an experiment file would give it: parsed by the real schema, so defaults and units apply. */
export function toxiproxyFault(name: string, toxiproxy: Record<string, unknown>): FaultSpec {
  return faultSchema.parse({ name, for: "30s", toxiproxy });
}
