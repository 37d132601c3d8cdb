import { defaultPorts, type SandboxPorts, sandboxPortsSchema } from "../sandbox-layout.js";

/** The containerised stack sits 1000 ports above the process sandbox, so both can run at once. */
export const DOCKER_PORT_OFFSET = 1000;
export const DEFAULT_REDIS_PORT = 6379;

export interface ComposePorts extends SandboxPorts {
  redis: number;
}

export function composePorts(offset = DOCKER_PORT_OFFSET): ComposePorts {
  return { ...defaultPorts(offset), redis: DEFAULT_REDIS_PORT + offset };
}

/** The variables docker-compose.yml reads (each with the offset-1000 default written in the file). */
export function composeEnv(p: ComposePorts): Record<string, string> {
  return {
    GAMEDAY_GATEWAY_PORT: String(p.services.gateway),
    GAMEDAY_ORDERS_PORT: String(p.services.orders),
    GAMEDAY_PAYMENTS_PORT: String(p.services.payments),
    GAMEDAY_RISK_PORT: String(p.services.risk),
    GAMEDAY_ORDERS_PROXY_PORT: String(p.proxies.orders),
    GAMEDAY_PAYMENTS_PROXY_PORT: String(p.proxies.payments),
    GAMEDAY_RISK_PROXY_PORT: String(p.proxies.risk),
    GAMEDAY_TOXIPROXY_PORT: String(p.toxiproxy),
    GAMEDAY_PROMETHEUS_PORT: String(p.prometheus),
    GAMEDAY_REDIS_PORT: String(p.redis),
  };
}

/** The inverse, inside the config container: the ports compose passed in. */
export function portsFromEnv(env: NodeJS.ProcessEnv): SandboxPorts {
  const n = (key: string) => Number(env[key]);
  return sandboxPortsSchema.parse({
    services: {
      gateway: n("GAMEDAY_GATEWAY_PORT"),
      orders: n("GAMEDAY_ORDERS_PORT"),
      payments: n("GAMEDAY_PAYMENTS_PORT"),
      risk: n("GAMEDAY_RISK_PORT"),
    },
    proxies: {
      orders: n("GAMEDAY_ORDERS_PROXY_PORT"),
      payments: n("GAMEDAY_PAYMENTS_PROXY_PORT"),
      risk: n("GAMEDAY_RISK_PROXY_PORT"),
    },
    toxiproxy: n("GAMEDAY_TOXIPROXY_PORT"),
    prometheus: n("GAMEDAY_PROMETHEUS_PORT"),
  });
}
