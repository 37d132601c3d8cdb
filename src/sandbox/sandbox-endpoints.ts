import type { Break } from "../../sandbox-services/lib/breaks.js";
import { CONTROL_PORT_DELTA, SERVICE_NAMES, type ServiceName } from "../../sandbox-services/lib/topology.js";
import type { SandboxLayout } from "./sandbox-layout.js";
import { type WantedProxy, wantedProxies } from "./toxiproxy-proxies.js";

/** Everything an experiment or a human needs to reach the sandbox. */
export interface SandboxEndpoints {
  stateDir: string;
  breaks: Break[];
  gatewayUrl: string;
  checkoutUrl: string;
  toxiproxyUrl: string;
  prometheusUrl: string;
  serviceUrls: Record<ServiceName, string>;
  metricsUrls: Record<ServiceName, string>;
  /** Each service's app-fault control endpoint (bearer token in `controlTokenFile`). */
  controlUrls: Record<ServiceName, string>;
  controlTokenFile: string;
  proxies: WantedProxy[];
}

const perService = (f: (name: ServiceName) => string) =>
  Object.fromEntries(SERVICE_NAMES.map((n) => [n, f(n)])) as Record<ServiceName, string>;

export function sandboxEndpoints(layout: SandboxLayout, breaks: Break[]): SandboxEndpoints {
  const { ports } = layout;
  const serviceUrls = perService((n) => `http://127.0.0.1:${ports.services[n]}`);
  return {
    stateDir: layout.stateDir,
    breaks,
    gatewayUrl: serviceUrls.gateway,
    checkoutUrl: `${serviceUrls.gateway}/checkout`,
    toxiproxyUrl: `http://127.0.0.1:${ports.toxiproxy}`,
    prometheusUrl: `http://127.0.0.1:${ports.prometheus}`,
    serviceUrls,
    metricsUrls: perService((n) => `${serviceUrls[n]}/metrics`),
    controlUrls: perService((n) => `http://127.0.0.1:${ports.services[n] + CONTROL_PORT_DELTA}`),
    controlTokenFile: layout.controlTokenFile,
    proxies: wantedProxies(ports),
  };
}
