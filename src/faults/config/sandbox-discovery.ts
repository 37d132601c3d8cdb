import { SERVICE_NAMES, type ServiceName } from "../../../sandbox-services/lib/topology.js";
import { probeService } from "../../sandbox/health-probes.js";
import type { Target } from "../../targets/targets-schema.js";

export interface DiscoveredSandbox {
  /** What the services report as SANDBOX_INSTANCE: the launcher's state dir, "docker-compose" or "kubernetes". */
  instance: string;
  runtime: "process" | "docker" | "kubernetes";
  /** service -> its base URL and the switches it runs with now */
  services: Partial<Record<ServiceName, { url: string; breaks: string[] }>>;
}

/** The base URLs of the sandbox services a target scrapes (its `scrape` map names them). */
export function sandboxServiceUrls(target: Target): Partial<Record<ServiceName, string>> {
  const out: Partial<Record<ServiceName, string>> = {};
  for (const name of SERVICE_NAMES) {
    const metrics = target.scrape[name];
    if (metrics) out[name] = new URL(metrics).origin;
  }
  return out;
}

/**
 * Finds the running sandbox behind a target from what its services say on /health: who started
 * them (the instance) and with which switches. Undefined when no service answers (nothing runs,
 * so nothing can be mutated either).
 */
export async function discoverSandbox(target: Target): Promise<DiscoveredSandbox | undefined> {
  const services: DiscoveredSandbox["services"] = {};
  const instances = new Set<string>();
  for (const [name, url] of Object.entries(sandboxServiceUrls(target)) as [ServiceName, string][]) {
    const probe = await probeService(url, name);
    if (!probe.healthy || !probe.service) continue;
    services[name] = { url, breaks: [...probe.service.config.breaks] };
    if (probe.service.instance) instances.add(probe.service.instance);
  }
  const [instance, ...others] = [...instances];
  if (instance === undefined) return undefined;
  if (others.length)
    throw new Error(
      `the target's sandbox services were started by different sandboxes: ${[...instances].join(", ")}`,
    );
  const runtime =
    instance === "docker-compose" ? "docker" : instance === "kubernetes" ? "kubernetes" : "process";
  return { instance, runtime, services };
}
