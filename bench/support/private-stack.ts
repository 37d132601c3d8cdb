import { createServer, type Server } from "node:http";
import { leftovers } from "../../test/support/experiment-files.js";
import { freePort, startToxiproxy } from "../../test/support/toxiproxy-server.js";

export const PROXY_NAME = "bench-upstream";

/**
 * A private Toxiproxy server and a tiny HTTP upstream behind one proxy, all on 127.0.0.1 and free
 * ports, so the bench never touches the shared sandbox stack other tests use at the same time.
 */
export interface PrivateStack {
  toxiproxyUrl: string;
  proxyName: string;
  /** The upstream as seen through the proxy: what load and experiments call. */
  proxiedUrl: string;
  upstreamUrl: string;
  /** Requests the upstream answered, to check load really went through. */
  served(): number;
  /** Anything left in Toxiproxy by a run: disabled proxies and toxics. Must be empty between benches. */
  leftovers(): Promise<string[]>;
  /** Re-enables the proxy and removes every toxic, so one bench's leftovers cannot skew the next. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

function startUpstream(port: number): Promise<{ server: Server; served: () => number }> {
  let count = 0;
  const server = createServer((_req, res) => {
    count++;
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok\n");
  });
  // Load keeps connections alive; a short idle timeout lets close() finish promptly.
  server.keepAliveTimeout = 2_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve({ server, served: () => count }));
  });
}

export async function startPrivateStack(): Promise<PrivateStack> {
  const [upstreamPort, listenPort] = [await freePort(), await freePort()];
  const toxiproxy = await startToxiproxy();
  const toxiproxyUrl = toxiproxy.url;
  const upstream = await startUpstream(upstreamPort);
  const created = await fetch(`${toxiproxyUrl}/proxies`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      name: PROXY_NAME,
      listen: `127.0.0.1:${listenPort}`,
      upstream: `127.0.0.1:${upstreamPort}`,
      enabled: true,
    }),
  });
  if (!created.ok) {
    await toxiproxy.stop();
    upstream.server.close();
    throw new Error(`could not create proxy ${PROXY_NAME}: ${created.status} ${await created.text()}`);
  }
  const proxies = async () =>
    Object.values(
      (await (await fetch(`${toxiproxyUrl}/proxies`)).json()) as Record<
        string,
        { name: string; enabled: boolean; toxics: { name: string }[] }
      >,
    );
  return {
    toxiproxyUrl,
    proxyName: PROXY_NAME,
    proxiedUrl: `http://127.0.0.1:${listenPort}/`,
    upstreamUrl: `http://127.0.0.1:${upstreamPort}/`,
    served: upstream.served,
    leftovers: () => leftovers(toxiproxyUrl),
    async reset() {
      for (const p of await proxies()) {
        for (const t of p.toxics)
          await fetch(`${toxiproxyUrl}/proxies/${p.name}/toxics/${t.name}`, { method: "DELETE" });
        if (!p.enabled)
          await fetch(`${toxiproxyUrl}/proxies/${p.name}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ enabled: true }),
          });
      }
    },
    async stop() {
      await toxiproxy.stop();
      upstream.server.closeAllConnections();
      await new Promise<void>((resolve) => upstream.server.close(() => resolve()));
    },
  };
}
