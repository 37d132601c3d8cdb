import { z } from "zod";
import { CALLS, type ProxiedService, SERVICE_NAMES } from "../../sandbox-services/lib/topology.js";
import type { SandboxPorts } from "./sandbox-layout.js";

const proxySchema = z.object({
  name: z.string(),
  listen: z.string(),
  upstream: z.string(),
  enabled: z.boolean(),
  toxics: z.array(z.object({ name: z.string(), type: z.string() }).loose()).default([]),
});
export type ToxiproxyProxy = z.infer<typeof proxySchema>;

export interface WantedProxy {
  name: ProxiedService;
  listen: string;
  upstream: string;
}

/** One proxy in front of every service that is called by another. */
export function wantedProxies(ports: SandboxPorts): WantedProxy[] {
  return SERVICE_NAMES.flatMap((caller) => {
    const dep = CALLS[caller]?.dependency;
    return dep
      ? [
          {
            name: dep,
            listen: `127.0.0.1:${ports.proxies[dep]}`,
            upstream: `127.0.0.1:${ports.services[dep]}`,
          },
        ]
      : [];
  });
}

async function api(url: string, init?: RequestInit): Promise<unknown> {
  const res = await fetch(url, {
    ...init,
    signal: AbortSignal.timeout(3000),
    headers: { "content-type": "application/json" },
  });
  const text = await res.text();
  if (!res.ok)
    throw new Error(`Toxiproxy ${init?.method ?? "GET"} ${url}: HTTP ${res.status} ${text.trim()}`);
  return text ? JSON.parse(text) : undefined;
}

export async function listProxies(apiUrl: string): Promise<Record<string, ToxiproxyProxy>> {
  return z.record(z.string(), proxySchema).parse(await api(`${apiUrl}/proxies`));
}

/**
 * Creates missing proxies and repairs ones that point elsewhere or were disabled. Toxics are left
 * alone: they may belong to a running experiment, and `gameday recover` owns orphans.
 */
export async function ensureProxies(
  apiUrl: string,
  wanted: WantedProxy[],
  log: (line: string) => void,
): Promise<void> {
  const existing = await listProxies(apiUrl);
  for (const w of wanted) {
    const cur = existing[w.name];
    const body = JSON.stringify({ ...w, enabled: true });
    if (!cur) {
      await api(`${apiUrl}/proxies`, { method: "POST", body });
      log(`toxiproxy: created proxy ${w.name} ${w.listen} -> ${w.upstream}`);
    } else if (cur.listen !== w.listen || cur.upstream !== w.upstream || !cur.enabled) {
      await api(`${apiUrl}/proxies/${w.name}`, { method: "POST", body });
      log(
        `toxiproxy: repaired proxy ${w.name} (was ${cur.listen} -> ${cur.upstream}, enabled=${cur.enabled})`,
      );
    }
    if (cur && cur.toxics.length > 0) {
      log(
        `toxiproxy: proxy ${w.name} carries toxics ${cur.toxics.map((t) => t.name).join(", ")} (left in place)`,
      );
    }
  }
}
