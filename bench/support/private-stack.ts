import { type ChildProcess, spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import { toxiproxyServerBin } from "../../src/sandbox/tools.js";
import { freePort } from "../../test/support/toxiproxy-server.js";

export const PROXY_NAME = "bench-upstream";

/**
 * A private Toxiproxy server and a tiny HTTP upstream behind one proxy, all on 127.0.0.1 and free
 * ports, so the bench never touches the shared sandbox stack other tests use at the same time.
 */
export interface PrivateStack {
  toxiproxyUrl: string;
  toxiproxyPid: number;
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

interface ProxyJson {
  name: string;
  enabled: boolean;
  toxics: { name: string }[];
}

async function waitForToxiproxy(url: string, child: ChildProcess, bin: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`toxiproxy-server (${bin}) exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/version`)).ok) return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`toxiproxy-server (${bin}) did not answer at ${url} within 10 s`);
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
  const bin = toxiproxyServerBin();
  const [apiPort, upstreamPort, listenPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(bin, ["-host", "127.0.0.1", "-port", String(apiPort)], { stdio: "ignore" });
  const toxiproxyUrl = `http://127.0.0.1:${apiPort}`;
  const stopChild = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  try {
    await waitForToxiproxy(toxiproxyUrl, child, bin);
  } catch (err) {
    await stopChild();
    throw err;
  }
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
    await stopChild();
    upstream.server.close();
    throw new Error(`could not create proxy ${PROXY_NAME}: ${created.status} ${await created.text()}`);
  }
  const proxies = async () =>
    Object.values((await (await fetch(`${toxiproxyUrl}/proxies`)).json()) as Record<string, ProxyJson>);
  return {
    toxiproxyUrl,
    toxiproxyPid: child.pid ?? -1,
    proxyName: PROXY_NAME,
    proxiedUrl: `http://127.0.0.1:${listenPort}/`,
    upstreamUrl: `http://127.0.0.1:${upstreamPort}/`,
    served: upstream.served,
    async leftovers() {
      const out: string[] = [];
      for (const p of await proxies()) {
        if (!p.enabled) out.push(`${p.name} disabled`);
        for (const t of p.toxics) out.push(`${p.name}/${t.name}`);
      }
      return out;
    },
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
      await stopChild();
      upstream.server.closeAllConnections();
      await new Promise<void>((resolve) => upstream.server.close(() => resolve()));
    },
  };
}
