import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import type { Break } from "../../sandbox-services/lib/breaks.js";
import { loadServiceConfig, type ServiceConfig } from "../../sandbox-services/lib/service-config.js";
import {
  CALLS,
  CONTROL_PORT_DELTA,
  SERVICE_NAMES,
  type ServiceName,
} from "../../sandbox-services/lib/topology.js";
import { InfrastructureError } from "../errors/gameday-error.js";
import { type ProbeResult, probeOk, probeService } from "./health-probes.js";
import type { SandboxEndpoints } from "./sandbox-endpoints.js";
import type { SandboxLayout } from "./sandbox-layout.js";
import type { ComponentName } from "./sandbox-state.js";
import { prometheusBin, toxiproxyServerBin } from "./tools.js";

/** How to start, probe and recognise one sandbox process. */
export interface ComponentSpec {
  name: ComponentName;
  endpoint: string;
  logFile: string;
  probe(): Promise<ProbeResult>;
  /** Resolved lazily: locating a binary may fail, and status/down must work without it. */
  command(): { argv: string[]; env: NodeJS.ProcessEnv };
  /** Recognises the component's process from a command line we did not record ourselves. */
  recognizes(cmd: string[]): boolean;
  /** For services: the config it must report on /health, else it is restarted. */
  expectedConfig?: () => ServiceConfig;
}

function tool(locate: () => string): string {
  try {
    return locate();
  } catch (err) {
    throw new InfrastructureError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

function serviceEnv(layout: SandboxLayout, name: ServiceName, breaks: Break[]): NodeJS.ProcessEnv {
  const prefix = `SANDBOX_${name.toUpperCase()}_`;
  const dep = CALLS[name]?.dependency;
  return {
    ...process.env,
    SANDBOX_BREAK: breaks.join(","),
    SANDBOX_INSTANCE: layout.stateDir,
    [`${prefix}PORT`]: String(layout.ports.services[name]),
    [`${prefix}CONTROL_PORT`]: String(layout.ports.services[name] + CONTROL_PORT_DELTA),
    // The app-fault control endpoint's token and the JSON request logs (<service>.jsonl).
    SANDBOX_CONTROL_TOKEN_FILE: layout.controlTokenFile,
    SANDBOX_LOG_DIR: layout.logDir,
    ...(dep ? { [`${prefix}DEPENDENCY_URL`]: `http://127.0.0.1:${layout.ports.proxies[dep]}` } : {}),
  };
}

function serviceSpec(
  layout: SandboxLayout,
  ep: SandboxEndpoints,
  name: ServiceName,
  breaks: Break[],
): ComponentSpec {
  const script = join(layout.packageRoot, "dist", "sandbox-services", `${name}.js`);
  const env = serviceEnv(layout, name, breaks);
  return {
    name,
    endpoint: ep.serviceUrls[name],
    logFile: join(layout.logDir, `${name}.log`),
    probe: () => probeService(ep.serviceUrls[name], name),
    command: () => {
      if (!existsSync(script))
        throw new InfrastructureError(`${script} is missing: build first (npm run build)`);
      return { argv: [process.execPath, script], env };
    },
    recognizes: (cmd) => cmd.some((arg) => arg.endsWith(join("sandbox-services", `${name}.js`))),
    expectedConfig: () => loadServiceConfig(name, env),
  };
}

export function componentSpecs(
  layout: SandboxLayout,
  ep: SandboxEndpoints,
  breaks: Break[],
): Record<ComponentName, ComponentSpec> {
  const { ports } = layout;
  const services = Object.fromEntries(SERVICE_NAMES.map((n) => [n, serviceSpec(layout, ep, n, breaks)]));
  return {
    toxiproxy: {
      name: "toxiproxy",
      endpoint: ep.toxiproxyUrl,
      logFile: join(layout.logDir, "toxiproxy.log"),
      probe: () => probeOk(`${ep.toxiproxyUrl}/version`),
      command: () => ({
        argv: [tool(toxiproxyServerBin), "-host", "127.0.0.1", "-port", String(ports.toxiproxy)],
        // Toxiproxy logs every connection at info level: thousands of lines a minute under load.
        env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
      }),
      recognizes: (cmd) =>
        basename(cmd[0] ?? "").includes("toxiproxy") || basename(cmd[0] ?? "") === "server",
    },
    ...(services as Record<ServiceName, ComponentSpec>),
    prometheus: {
      name: "prometheus",
      endpoint: ep.prometheusUrl,
      logFile: join(layout.logDir, "prometheus.log"),
      probe: () => probeOk(`${ep.prometheusUrl}/-/ready`),
      command: () => ({
        argv: [
          tool(prometheusBin),
          `--config.file=${layout.prometheusConfig}`,
          `--storage.tsdb.path=${layout.prometheusData}`,
          "--storage.tsdb.retention.time=1d",
          `--web.listen-address=127.0.0.1:${ports.prometheus}`,
        ],
        env: process.env,
      }),
      recognizes: (cmd) => basename(cmd[0] ?? "") === "prometheus",
    },
  };
}
