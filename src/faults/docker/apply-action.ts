import type Docker from "dockerode";
import { PreflightError } from "../../errors/gameday-error.js";
import type { DockerFaultSpec } from "../../experiment/docker-fault-schema.js";
import { formatMemorySize } from "../../experiment/memory-size.js";
import { execDetached, execIn } from "./container-exec.js";
import { cpuBurnCmd, memoryHogCmd } from "./helper-scripts.js";
import type { PriorState } from "./prior-state.js";

const CPU_PERIOD_US = 100_000; // the kernel's default CFS period, used when the container sets none

/** Why this action cannot be applied (and exactly restored) on a container in this state, if it can't. */
export function refusal(spec: DockerFaultSpec, prior: PriorState): string | undefined {
  if (!prior.running) return "it is not running";
  if (prior.paused) return "it is paused";
  if (spec.action === "memory-limit") {
    // The Engine treats Memory 0 as "unchanged" and refuses -1: a limit, once set, cannot be removed.
    if (prior.memory <= 0)
      return "it has no memory limit, and the Docker Engine cannot remove a limit once set, so the prior state could not be restored (give it one: mem_limit)";
    if (spec.limit >= prior.memory)
      return `the squeezed limit ${formatMemorySize(spec.limit)} is not below its limit ${formatMemorySize(prior.memory)}`;
    if (prior.memorySwap === 0)
      return "its memory+swap limit is unset (0), which the Engine cannot write back";
  }
  if (spec.action === "network-outage") {
    const mode = prior.networkMode;
    if (mode === "host" || mode === "none" || mode.startsWith("container:"))
      return `its network mode is ${mode}: only containers on Docker networks can be disconnected (for a host-networked service, use a Toxiproxy outage on the proxy in front of it)`;
    if (Object.keys(prior.networks).length === 0) return "it is attached to no Docker network";
    // No fixed addresses on the default bridge: the container would come back with another one,
    // and its peers there find it by address (links, /etc/hosts), not by DNS.
    if ("bridge" in prior.networks)
      return "it is on the default bridge network, where the Engine cannot give it its address back (use a user-defined network)";
  }
  return undefined;
}

/** Checks that the helper's interpreter exists in the container before anything is recorded. */
export async function checkHelperRuntime(docker: Docker, prior: PriorState): Promise<void> {
  const r = await execIn(docker, prior.id, ["node", "-e", "0"]).catch((err: Error) => ({
    exitCode: -1,
    stderr: err.message,
  }));
  if (r.exitCode !== 0)
    throw new PreflightError(
      `container ${prior.name} has no node to run the bounded helper (${r.stderr.trim() || `exit ${r.exitCode}`}); use memory-limit or cpu-quota instead`,
    );
}

/** Does the harm; the owner marker already exists. */
export async function applyAction(
  docker: Docker,
  spec: DockerFaultSpec,
  prior: PriorState,
  ownerTag: string,
  deadline: number,
): Promise<void> {
  const c = docker.getContainer(prior.id);
  switch (spec.action) {
    case "stop":
      return c.stop({ t: Math.ceil(spec.timeout / 1000) });
    case "kill":
      return c.kill({ signal: spec.signal });
    case "pause":
      return c.pause();
    case "restart":
      return c.restart({ t: Math.ceil(spec.timeout / 1000) });
    case "memory-limit":
      return c.update({ Memory: spec.limit, MemorySwap: spec.limit });
    case "memory-hog":
      return execDetached(docker, prior.id, memoryHogCmd(ownerTag, spec.size, deadline, spec.oomVictim));
    case "cpu-quota":
      // A container limited with NanoCpus (compose `cpus:`) must be changed the same way: the Engine
      // refuses a quota next to NanoCpus.
      return prior.nanoCpus > 0
        ? c.update({ NanoCpus: Math.round(spec.cpus * 1e9) })
        : c.update({ CpuQuota: Math.round(spec.cpus * CPU_PERIOD_US) });
    case "cpu-burn":
      return execDetached(docker, prior.id, cpuBurnCmd(ownerTag, spec.workers, deadline));
    case "network-outage":
      for (const network of Object.keys(prior.networks))
        await docker.getNetwork(network).disconnect({ Container: prior.id, Force: true });
      return;
  }
}

export function describeAction(spec: DockerFaultSpec): string {
  switch (spec.action) {
    case "kill":
      return `kill with ${spec.signal}`;
    case "memory-limit":
      return `memory limit squeezed to ${formatMemorySize(spec.limit)}`;
    case "memory-hog":
      return `memory hog of ${formatMemorySize(spec.size)}${spec.oomVictim === "main" ? " (PID 1 first in line for the OOM killer)" : ""}`;
    case "cpu-quota":
      return `CPU quota ${spec.cpus} cores`;
    case "cpu-burn":
      return `CPU burner, ${spec.workers} busy thread(s)`;
    default:
      return spec.action;
  }
}
