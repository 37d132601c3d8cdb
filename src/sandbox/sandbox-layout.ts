import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import {
  DEFAULT_PROMETHEUS_PORT,
  DEFAULT_PROXY_PORTS,
  DEFAULT_SERVICE_PORTS,
  DEFAULT_TOXIPROXY_PORT,
} from "../../sandbox-services/lib/topology.js";
import { ValidationError } from "../errors/gameday-error.js";

const port = z.number().int().min(1).max(65_535);

export const sandboxPortsSchema = z.strictObject({
  services: z.strictObject({ gateway: port, orders: port, payments: port, risk: port }),
  proxies: z.strictObject({ orders: port, payments: port, risk: port }),
  toxiproxy: port,
  prometheus: port,
});
export type SandboxPorts = z.infer<typeof sandboxPortsSchema>;

export interface SandboxLayoutOptions {
  /** Default `<cwd>/.gameday/sandbox`. */
  stateDir?: string;
  /** Shifts every default port, for a second stack or a clash; default $GAMEDAY_SANDBOX_PORT_OFFSET or 0. */
  portOffset?: number;
}

/** Where the sandbox keeps its files, and the package its services are built in. */
export interface SandboxLayout {
  stateDir: string;
  statePath: string;
  logDir: string;
  /** The bearer token of the services' app-fault control endpoints (mode 0600, made by `up`). */
  controlTokenFile: string;
  prometheusConfig: string;
  prometheusData: string;
  packageRoot: string;
  ports: SandboxPorts;
}

function shift<K extends string>(ports: Readonly<Record<K, number>>, offset: number): Record<K, number> {
  return Object.fromEntries(Object.entries<number>(ports).map(([k, v]) => [k, v + offset])) as Record<
    K,
    number
  >;
}

export function defaultPorts(offset = 0): SandboxPorts {
  return sandboxPortsSchema.parse({
    services: shift(DEFAULT_SERVICE_PORTS, offset),
    proxies: shift(DEFAULT_PROXY_PORTS, offset),
    toxiproxy: DEFAULT_TOXIPROXY_PORT + offset,
    prometheus: DEFAULT_PROMETHEUS_PORT + offset,
  });
}

function portOffset(opts: SandboxLayoutOptions): number {
  if (opts.portOffset !== undefined) return opts.portOffset;
  const raw = process.env.GAMEDAY_SANDBOX_PORT_OFFSET;
  if (raw === undefined || raw === "") return 0;
  const n = Number(raw);
  if (!Number.isInteger(n)) {
    throw new ValidationError([
      {
        file: "environment",
        path: "GAMEDAY_SANDBOX_PORT_OFFSET",
        message: `expected an integer, got "${raw}"`,
      },
    ]);
  }
  return n;
}

/**
 * The package root is found from this file, not the working directory, so `gameday sandbox up`
 * works from any folder (and from src/ under vitest as from dist/src/ once built).
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "gameday")
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no gameday package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** Ports recorded by a running sandbox win over the options, so down/status find what up started. */
export function resolveLayout(opts: SandboxLayoutOptions, recordedPorts?: SandboxPorts): SandboxLayout {
  const stateDir = resolve(opts.stateDir ?? join(process.cwd(), ".gameday", "sandbox"));
  return {
    stateDir,
    statePath: join(stateDir, "state.json"),
    logDir: join(stateDir, "logs"),
    controlTokenFile: join(stateDir, "control-token"),
    prometheusConfig: join(stateDir, "prometheus.yml"),
    prometheusData: join(stateDir, "prometheus-data"),
    packageRoot: packageRoot(),
    ports: recordedPorts ?? defaultPorts(portOffset(opts)),
  };
}
