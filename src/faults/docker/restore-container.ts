import { setTimeout as sleep } from "node:timers/promises";
import type Docker from "dockerode";
import type { DockerAction } from "../../experiment/docker-fault-schema.js";
import { execIn } from "./container-exec.js";
import { errorText, inspectOrUndefined } from "./docker-client.js";
import { findHelpersCmd } from "./helper-scripts.js";
import { readHostOomScoreAdj, writeHostOomScoreAdj } from "./host-oom-score.js";
import { listMarkers, type OwnerRecord } from "./owner-marker.js";
import {
  type Endpoint,
  type PriorState,
  priorStateOf,
  type StateField,
  stateDifferences,
} from "./prior-state.js";

const usesHelper = (r: OwnerRecord) => r.spec.action === "memory-hog" || r.spec.action === "cpu-burn";

/** What each action may change (memory pressure can end in an OOM kill, hence "run"). */
const FIELDS: Record<DockerAction, StateField[]> = {
  stop: ["run"],
  kill: ["run"],
  pause: ["run"],
  restart: ["run"],
  "memory-limit": ["memory", "run"],
  "memory-hog": ["run"],
  "cpu-quota": ["cpu"],
  "cpu-burn": [],
  "network-outage": ["networks", "run"], // a service may exit when it loses its network
};
const fieldsOf = (r: OwnerRecord): StateField[] => [...FIELDS[r.spec.action], "restartPolicy"];

/** Another fault still owns the run state (stop, kill, pause): restarting it here would end that fault early. */
async function runStateOwnedElsewhere(docker: Docker, r: OwnerRecord): Promise<boolean> {
  const others = (await listMarkers(docker, undefined, r.prior.id)).filter(
    (m) => "record" in m && m.record.prior.id === r.prior.id && m.record.ownerTag !== r.ownerTag,
  );
  return others.some((m) => "record" in m && ["stop", "kill", "pause"].includes(m.record.spec.action));
}

/** Writes back what the action changed: limits, networks, then the run state, then helper processes. */
export async function restoreContainer(docker: Docker, r: OwnerRecord): Promise<"restored" | "vanished"> {
  const { prior, spec } = r;
  let info = await inspectOrUndefined(docker, prior.id);
  if (!info) return "vanished";
  const c = docker.getContainer(prior.id);
  if (spec.action === "memory-limit") await c.update({ Memory: prior.memory, MemorySwap: prior.memorySwap });
  if (spec.action === "cpu-quota")
    await c.update(
      prior.nanoCpus > 0
        ? { NanoCpus: prior.nanoCpus }
        : { CpuQuota: prior.cpuQuota > 0 ? prior.cpuQuota : -1 },
    );
  await reconnect(docker, prior, Object.keys(info.NetworkSettings.Networks ?? {}));
  info = await waitSettled(docker, prior.id);
  if (!info) return "vanished";
  let acted = false;
  if (fieldsOf(r).includes("run") && !(await runStateOwnedElsewhere(docker, r))) {
    if (info.State.Paused && !prior.paused) {
      await c.unpause();
      acted = true;
    }
    if (!info.State.Running && prior.running) {
      await c.start();
      acted = true;
    }
  }
  // Re-read only when the run state was just changed here.
  const now = acted ? await inspectOrUndefined(docker, prior.id) : info;
  if (!now) return "vanished";
  if (now.State.Running && !now.State.Paused && usesHelper(r))
    await execIn(docker, prior.id, findHelpersCmd(r.ownerTag, true));
  if (now.State.Running && !now.State.Paused && spec.action === "memory-hog" && spec.oomVictim === "main") {
    if (readHostOomScoreAdj(now) !== prior.oomScoreAdj) writeHostOomScoreAdj(now, prior.oomScoreAdj);
  }
  return "restored";
}

/** Every network the container lost, each tried even when another fails (one may have been removed meanwhile). */
async function reconnect(docker: Docker, prior: PriorState, connected: string[]): Promise<void> {
  const errors: string[] = [];
  for (const [network, ep] of Object.entries(prior.networks))
    if (!connected.includes(network))
      await docker
        .getNetwork(network)
        .connect({ Container: prior.id, EndpointConfig: endpointConfig(ep) })
        .catch((err: Error) => errors.push(`network ${network}: ${errorText(err)}`));
  if (errors.length > 0) throw new Error(`could not reconnect ${prior.name} to ${errors.join("; ")}`);
}

/** The endpoint as it was configured: aliases, links, options and any fixed address (a dynamic one is picked anew). */
function endpointConfig(ep: Endpoint) {
  const fixed = ep.ipv4Address || ep.ipv6Address || ep.linkLocalIps.length > 0;
  return {
    Aliases: ep.aliases,
    Links: ep.links.length > 0 ? ep.links : undefined,
    DriverOpts: Object.keys(ep.driverOpts).length > 0 ? ep.driverOpts : undefined,
    IPAMConfig: fixed
      ? {
          IPv4Address: ep.ipv4Address || undefined,
          IPv6Address: ep.ipv6Address || undefined,
          LinkLocalIPs: ep.linkLocalIps.length > 0 ? ep.linkLocalIps : undefined,
        }
      : undefined,
  };
}

/** A container the restart policy is bringing back is neither running nor stopped: wait (bounded). */
async function waitSettled(docker: Docker, id: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await inspectOrUndefined(docker, id);
    if (!info?.State.Restarting || Date.now() > deadline) return info;
    await sleep(100);
  }
}

/** What is still different from the prior state, in words; empty when fully restored. */
export async function remainingDifferences(
  docker: Docker,
  r: OwnerRecord,
  settleMs = 5000,
): Promise<string[]> {
  const deadline = Date.now() + settleMs;
  let diffs: string[] = [];
  // The run state may still be moving (a restart in progress): re-read until it matches or time is up.
  for (;;) {
    const info = await waitSettled(docker, r.prior.id);
    if (!info) return [`container ${r.prior.name} disappeared during the fault, so it was not restored`];
    const fields = (await runStateOwnedElsewhere(docker, r))
      ? fieldsOf(r).filter((f) => f !== "run")
      : fieldsOf(r);
    diffs = stateDifferences(r.prior, priorStateOf(info), fields);
    if (diffs.length === 0 || Date.now() > deadline) break;
    await sleep(100);
  }
  if (diffs.length > 0) return diffs;
  // Helpers cannot be listed in a frozen container (another fault paused it); they end at their deadline.
  const state = (await inspectOrUndefined(docker, r.prior.id))?.State;
  const running = Boolean(state?.Running && !state.Paused);
  if (running && usesHelper(r)) {
    const left = await execIn(docker, r.prior.id, findHelpersCmd(r.ownerTag, false));
    const pids = JSON.parse(left.stdout || "[]") as number[];
    if (pids.length > 0) diffs.push(`helper processes ${pids.join(", ")} still run in it`);
  }
  const current = running ? await inspectOrUndefined(docker, r.prior.id) : undefined;
  if (current && r.spec.action === "memory-hog" && r.spec.oomVictim === "main") {
    const adj = readHostOomScoreAdj(current);
    if (adj !== r.prior.oomScoreAdj)
      diffs.push(`PID 1's oom_score_adj is ${adj}, was ${r.prior.oomScoreAdj}`);
  }
  return diffs;
}
