import { type CallResult, ResilientClient } from "./resilient-client.js";
import { type RouteHandler, startService } from "./service-bootstrap.js";
import { loadServiceConfig, type ServiceConfig } from "./service-config.js";
import { createServiceMetrics } from "./service-metrics.js";
import { ROUTES, type ServiceName } from "./topology.js";

export interface ServiceContext {
  config: ServiceConfig;
  /** Calls this service's dependency through its countermeasures. */
  callDependency: () => Promise<CallResult>;
}

/** The whole life of a sandbox service process: config, metrics, client, server. */
export function runService(service: ServiceName, handler: (ctx: ServiceContext) => RouteHandler): void {
  let config: ServiceConfig;
  try {
    config = loadServiceConfig(service);
  } catch (err) {
    // Exit 2, like the CLI for invalid input: a bad variable must stop the launch, not be guessed.
    console.error(`${service}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  }
  const metrics = createServiceMetrics(service);
  const client = config.dependency && new ResilientClient(config.dependency, metrics);
  const callDependency = () => {
    if (!client) throw new Error(`${service} has no dependency`);
    return client.call();
  };
  startService(config, metrics, { [ROUTES[service]]: handler({ config, callDependency }) });
}
