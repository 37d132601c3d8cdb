import { SERVICE_NAMES } from "../../../sandbox-services/lib/topology.js";
import { InfrastructureError, ValidationError } from "../../errors/gameday-error.js";
import { probeOk, probeService, waitFor } from "../health-probes.js";
import { targetsUp } from "../prometheus-config.js";
import { type SandboxEndpoints, sandboxEndpoints } from "../sandbox-endpoints.js";
import { packageRoot, resolveLayout } from "../sandbox-layout.js";
import { warmUp } from "../sandbox-up.js";
import { validBreaks } from "../valid-breaks.js";
import { buildLocalImages, compose, LOCAL_IMAGES } from "./compose-cli.js";
import { type ComposePorts, composeEnv, composePorts, DOCKER_PORT_OFFSET } from "./compose-ports.js";

export const DEFAULT_PROJECT = "gameday-sandbox";

export interface ComposeStackOptions {
  project?: string;
  /** Added to the process sandbox's default ports; default 1000, or $GAMEDAY_DOCKER_PORT_OFFSET. */
  portOffset?: number;
  breaks?: string[];
  /** Use the upstream images from a registry instead of building local ones. */
  registryImages?: boolean;
  /** More compose variables, e.g. GAMEDAY_PAYMENTS_RESTART=no. */
  env?: Record<string, string>;
  log?: (line: string) => void;
  timeoutMs?: number;
}

export type ComposeEndpoints = SandboxEndpoints & { project: string; redisUrl: string; runtime: "docker" };

function offsetOf(opts: ComposeStackOptions): number {
  if (opts.portOffset !== undefined) return opts.portOffset;
  const raw = process.env.GAMEDAY_DOCKER_PORT_OFFSET;
  if (raw === undefined || raw === "") return DOCKER_PORT_OFFSET;
  if (!Number.isInteger(Number(raw)))
    throw new ValidationError([
      {
        file: "environment",
        path: "GAMEDAY_DOCKER_PORT_OFFSET",
        message: `expected an integer, got "${raw}"`,
      },
    ]);
  return Number(raw);
}

function setup(opts: ComposeStackOptions) {
  const ports: ComposePorts = composePorts(offsetOf(opts));
  const breaks = validBreaks(opts.breaks ?? []);
  if (breaks.includes("alerting"))
    throw new ValidationError([
      {
        file: "--break",
        path: "",
        message:
          "alerting is a switch of the process and Kubernetes sandboxes (the compose Prometheus keeps its rules until it is recreated)",
      },
    ]);
  const env = {
    ...composeEnv(ports),
    ...(opts.registryImages ? {} : LOCAL_IMAGES),
    SANDBOX_BREAK: breaks.join(","),
    ...opts.env,
  };
  const project = opts.project ?? DEFAULT_PROJECT;
  const layout = resolveLayout({ stateDir: `/nonexistent/${project}` }, ports);
  const endpoints: ComposeEndpoints = {
    ...sandboxEndpoints(layout, breaks),
    stateDir: `docker compose project ${project}`,
    project,
    redisUrl: `redis://127.0.0.1:${ports.redis}`,
    runtime: "docker",
  };
  return { target: { packageRoot: packageRoot(), project, env }, endpoints };
}

/** `docker compose up -d` of the whole stack, then waits until every service answers and is scraped. */
export async function composeUp(opts: ComposeStackOptions = {}): Promise<ComposeEndpoints> {
  const log = opts.log ?? (() => {});
  const { target, endpoints } = setup(opts);
  if (!opts.registryImages) await buildLocalImages(target.packageRoot, log);
  log(`docker compose: project ${target.project}, gateway ${endpoints.gatewayUrl}`);
  await compose(target, ["up", "-d", ...(opts.registryImages ? ["--build"] : ["--no-build"])]);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  try {
    await waitFor(
      "toxiproxy",
      async () => {
        const p = await probeOk(`${endpoints.toxiproxyUrl}/version`);
        return p.healthy ? { value: true, detail: "ok" } : { detail: p.detail };
      },
      timeoutMs,
    );
    for (const name of SERVICE_NAMES)
      await waitFor(
        `${name} on ${endpoints.serviceUrls[name]}`,
        async () => {
          const p = await probeService(endpoints.serviceUrls[name], name);
          return p.healthy ? { value: true, detail: "ok" } : { detail: p.detail };
        },
        timeoutMs,
      );
    const since = Date.now();
    await waitFor(
      `Prometheus on ${endpoints.prometheusUrl} to scrape the services`,
      () => targetsUp(endpoints.prometheusUrl, since),
      timeoutMs,
      250,
    );
  } catch (err) {
    const logs = await compose(target, ["logs", "--tail", "10"]).catch(() => "");
    throw new InfrastructureError(`${(err as Error).message}\nlast lines of the containers' logs:\n${logs}`, {
      cause: err,
    });
  }
  // Compose recreates the services whose switches changed; warm them as the process sandbox does.
  await warmUp(endpoints.checkoutUrl);
  log(`sandbox (docker compose project ${target.project}) ready: gateway ${endpoints.gatewayUrl}`);
  return endpoints;
}

/** `docker compose down -v`: every container and the config volume of the project. */
export async function composeDown(opts: ComposeStackOptions = {}): Promise<void> {
  const { target } = setup(opts);
  await compose(target, ["down", "-v", "--remove-orphans", "--timeout", "5"]);
  opts.log?.(`docker compose project ${target.project} is down`);
}

export async function composeStatus(opts: ComposeStackOptions = {}): Promise<string> {
  return compose(setup(opts).target, ["ps"]);
}
