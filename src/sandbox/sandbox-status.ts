import type { Break } from "../../sandbox-services/lib/breaks.js";
import { isAlive } from "./process-control.js";
import { componentSpecs } from "./sandbox-components.js";
import { type SandboxEndpoints, sandboxEndpoints } from "./sandbox-endpoints.js";
import { resolveLayout, type SandboxLayoutOptions } from "./sandbox-layout.js";
import { COMPONENT_NAMES, type ComponentName, readState } from "./sandbox-state.js";
import { listProxies } from "./toxiproxy-proxies.js";

export interface ComponentStatus {
  name: ComponentName;
  pid: number | null;
  /** Started by this sandbox (so `down` stops it). */
  owned: boolean;
  running: boolean;
  healthy: boolean;
  endpoint: string;
  logFile: string | null;
  /** Why it is unhealthy, or for a service its active switches. */
  detail: string;
}

export interface ProxyStatus {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: string[];
}

export interface SandboxStatus {
  stateDir: string;
  /** Whether a state file exists (`up` ran and `down` did not). */
  recorded: boolean;
  breaks: Break[];
  components: ComponentStatus[];
  /** Proxies as Toxiproxy reports them, with toxic names; null when Toxiproxy does not answer. */
  proxies: ProxyStatus[] | null;
  endpoints: SandboxEndpoints;
}

/** Looks at every component without changing anything. */
export async function sandboxStatus(opts: SandboxLayoutOptions = {}): Promise<SandboxStatus> {
  const state = readState(resolveLayout(opts));
  const layout = resolveLayout(opts, state?.ports);
  const breaks = state?.breaks ?? [];
  const endpoints = sandboxEndpoints(layout, breaks);
  const specs = componentSpecs(layout, endpoints, breaks);
  const components = await Promise.all(
    COMPONENT_NAMES.map(async (name): Promise<ComponentStatus> => {
      const rec = state?.components[name];
      const probe = await specs[name].probe();
      const pid = rec?.pid ?? probe.service?.pid ?? null;
      const switches = probe.service && `switches [${probe.service.config.breaks.join(",")}]`;
      return {
        name,
        pid,
        owned: rec?.owned ?? false,
        running: pid !== null ? isAlive(pid) : probe.healthy,
        healthy: probe.healthy,
        endpoint: specs[name].endpoint,
        logFile: rec?.logFile ?? null,
        detail: switches ?? probe.detail,
      };
    }),
  );
  const toxiproxyUp = components.find((c) => c.name === "toxiproxy")?.healthy;
  const proxies = toxiproxyUp
    ? Object.values(await listProxies(endpoints.toxiproxyUrl).catch(() => ({}))).map((p) => ({
        name: p.name,
        listen: p.listen,
        upstream: p.upstream,
        enabled: p.enabled,
        toxics: p.toxics.map((t) => t.name),
      }))
    : null;
  return { stateDir: layout.stateDir, recorded: state !== undefined, breaks, components, proxies, endpoints };
}
