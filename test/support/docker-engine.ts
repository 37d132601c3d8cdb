import Docker from "dockerode";
import type { DockerFaultSpec } from "../../src/experiment/docker-fault-schema.js";
import { dockerFaultSchema } from "../../src/experiment/docker-fault-schema.js";
import type { FaultSpec } from "../../src/experiment/schema.js";
import { TOXIPROXY_VERSION } from "../../src/sandbox/tools.js";

export const DOCKER_SOCKET = process.env.GAMEDAY_DOCKER_SOCKET ?? "/var/run/docker.sock";
export const SANDBOX_IMAGE = "gameday/sandbox:local";
/** A small static server (GET /version) that docker/build-images.sh builds from the setup's binary. */
export const TOXIPROXY_IMAGE = `gameday/toxiproxy:${TOXIPROXY_VERSION}`;
/** Every container a docker test creates carries this label, so cleanup finds them all. */
export const TEST_LABEL = "gameday.test";

export const docker = new Docker({ socketPath: DOCKER_SOCKET, timeout: 30_000 });

/** Fails loudly (never skips) when the engine or the image .ci/run prepares is missing. */
export async function requireDocker(): Promise<void> {
  try {
    await docker.ping();
  } catch (err) {
    throw new Error(
      `no Docker Engine on ${DOCKER_SOCKET} (${(err as Error).message}): run .ci/run or source scripts/lib/docker.sh and call ensure_docker`,
    );
  }
  for (const image of [SANDBOX_IMAGE, TOXIPROXY_IMAGE])
    try {
      await docker.getImage(image).inspect();
    } catch {
      throw new Error(`image ${image} is missing: run docker/build-images.sh (after npm run build)`);
    }
}

/** A long-running Node container on the host network, with a memory limit and a restart policy. */
export async function startTarget(
  name: string,
  group: string,
  opts: { restart?: string; memory?: number; script?: string } = {},
): Promise<Docker.ContainerInspectInfo> {
  const memory = opts.memory ?? 256 * 1024 ** 2;
  const c = await docker.createContainer({
    name,
    Image: SANDBOX_IMAGE,
    Cmd: ["node", "-e", opts.script ?? "setInterval(() => {}, 1000)"],
    Labels: { [TEST_LABEL]: group },
    StopSignal: "SIGKILL",
    HostConfig: {
      NetworkMode: "host",
      RestartPolicy: { Name: opts.restart ?? "unless-stopped", MaximumRetryCount: 0 },
      Memory: memory,
      MemorySwap: memory,
    },
  });
  await c.start();
  return c.inspect();
}

/** Removes the test's containers and any owner marker left on them. */
export async function removeGroup(group: string): Promise<void> {
  const all = await docker.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=${group}`] } });
  const ids = new Set(all.map((c) => c.Id));
  const markers = await docker.listContainers({
    all: true,
    filters: { label: ["gameday.role=owner-marker"] },
  });
  for (const m of markers) if (ids.has(m.Labels["gameday.target"] ?? "")) ids.add(m.Id);
  for (const id of ids)
    await docker
      .getContainer(id)
      .remove({ force: true })
      .catch(() => undefined);
}

export function dockerFault(name: string, docker: Record<string, unknown>, forMs = 30_000): FaultSpec {
  const spec: DockerFaultSpec = dockerFaultSchema.parse(docker);
  return { name, at: 0, for: forMs, docker: spec } as FaultSpec;
}

export async function markersOf(runId: string): Promise<string[]> {
  const found = await docker.listContainers({ all: true, filters: { label: [`gameday.run=${runId}`] } });
  return found.map((c) => c.Id);
}
