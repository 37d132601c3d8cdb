import { setTimeout as sleep } from "node:timers/promises";
import type Docker from "dockerode";
import { PreflightError, RollbackError } from "../../errors/gameday-error.js";
import type { DockerTarget } from "../../targets/docker-target-schema.js";
import { inspectOrUndefined, isNotFound } from "../docker/docker-client.js";
import { containerName } from "../docker/prior-state.js";
import { CONFIG_LABEL, OVERRIDE_ROLE } from "./config-owner.js";

const PROJECT = "com.docker.compose.project";
const STABLE_MS = 1000;
const SERVICE = "com.docker.compose.service";

export interface ComposeOverride {
  project?: string | undefined;
  service: string;
  env: Record<string, string>;
}

export interface OverrideOwner {
  ownerTag: string;
  runId: string;
  change: string;
}

/** The containers of one compose service, allow-listed by the target's projects. */
export async function serviceContainers(
  docker: Docker,
  target: DockerTarget,
  o: ComposeOverride,
): Promise<Docker.ContainerInfo[]> {
  const project = o.project ?? (target.projects.length === 1 ? target.projects[0] : undefined);
  if (!project)
    throw new PreflightError(
      `compose service ${o.service}: name its project (the target allows ${target.projects.join(", ") || "no projects"})`,
    );
  if (!target.projects.includes(project))
    throw new PreflightError(
      `compose project ${project} is not in the target's allow-list (${target.projects.join(", ")})`,
    );
  const found = await docker.listContainers({
    all: true,
    filters: { label: [`${PROJECT}=${project}`, `${SERVICE}=${o.service}`] },
  });
  const ours = found.filter((c) => c.Labels[CONFIG_LABEL.role] !== OVERRIDE_ROLE);
  if (!ours.length) throw new PreflightError(`compose project ${project} has no service "${o.service}"`);
  const applied = found.find((c) => c.Labels[CONFIG_LABEL.role] === OVERRIDE_ROLE);
  if (applied)
    throw new PreflightError(
      `compose service ${o.service} is already overridden by ${applied.Labels[CONFIG_LABEL.owner]}; run gameday recover`,
    );
  return ours;
}

function overriddenEnv(env: readonly string[], override: Record<string, string>): string[] {
  const rest = env.filter((e) => !Object.hasOwn(override, e.split("=", 1)[0] ?? ""));
  return [...rest, ...Object.entries(override).map(([k, v]) => `${k}=${v}`)];
}

/** The networks to attach at create time; host and none networking take no endpoint config. */
function endpointsOf(info: Docker.ContainerInspectInfo): Docker.ContainerCreateOptions["NetworkingConfig"] {
  const mode = info.HostConfig.NetworkMode ?? "";
  if (["host", "none"].includes(mode) || mode.startsWith("container:")) return undefined;
  const shortId = info.Id.slice(0, 12);
  const EndpointsConfig = Object.fromEntries(
    Object.entries(info.NetworkSettings.Networks ?? {}).map(([name, raw]) => {
      const ep = raw as Docker.EndpointSettings;
      return [name, { Aliases: (ep.Aliases ?? []).filter((a) => a !== shortId), IPAMConfig: ep.IPAMConfig }];
    }),
  );
  return { EndpointsConfig };
}

async function waitRunning(docker: Docker, id: string, timeoutMs = 60_000): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let last = "not inspected";
  while (Date.now() < deadline) {
    const info = await inspectOrUndefined(docker, id);
    if (!info) return "the container vanished";
    const health = info.State.Health?.Status;
    // A container in restart back-off reports Running=true with Restarting=true: not up.
    if (info.State.Running && !info.State.Restarting && (health === undefined || health === "healthy")) {
      // Up for a second without a restart: a crash-looping container passes one look, not two.
      await sleep(STABLE_MS);
      const again = await inspectOrUndefined(docker, id);
      if (
        again?.State.Running &&
        !again.State.Restarting &&
        again.State.StartedAt === info.State.StartedAt &&
        again.RestartCount === info.RestartCount
      )
        return undefined;
      last = "restarted while starting";
      continue;
    }
    if (info.RestartCount > 3)
      return `restarting (restarted ${info.RestartCount} times; exit code ${info.State.ExitCode})`;
    if (!info.State.Running && !info.State.Restarting && info.State.ExitCode !== 0)
      return `exited with code ${info.State.ExitCode}`;
    last = `running=${info.State.Running} health=${health ?? "none"}`;
    await sleep(250);
  }
  return `not running and healthy after ${timeoutMs} ms (${last})`;
}

/**
 * Recreates one container with an environment override. The override container is created first
 * (never started, carrying the owner tag and the prior container's id), so the tag is in the Engine
 * before any harm; the prior container is only stopped and renamed, never removed, so the revert
 * brings back the very same container with its exact configuration.
 */
export async function overrideContainer(
  docker: Docker,
  id: string,
  env: Record<string, string>,
  owner: OverrideOwner,
): Promise<string> {
  const info = await docker.getContainer(id).inspect();
  const name = containerName(info);
  const created = await docker.createContainer({
    ...info.Config,
    name: `${name}-gameday-${owner.change}`.slice(0, 120),
    Env: overriddenEnv(info.Config.Env ?? [], env),
    Labels: {
      ...info.Config.Labels,
      [CONFIG_LABEL.owner]: owner.ownerTag,
      [CONFIG_LABEL.run]: owner.runId,
      [CONFIG_LABEL.change]: owner.change,
      [CONFIG_LABEL.role]: OVERRIDE_ROLE,
      [CONFIG_LABEL.priorId]: info.Id,
      [CONFIG_LABEL.priorName]: name,
      [CONFIG_LABEL.priorRunning]: String(info.State.Running),
      [CONFIG_LABEL.env]: JSON.stringify(env),
    },
    HostConfig: info.HostConfig,
    NetworkingConfig: endpointsOf(info),
  });
  const prior = docker.getContainer(info.Id);
  if (info.State.Running) await prior.stop({ t: 5 }).catch((err) => ignoreNotModified(err));
  await prior.rename({ name: `${name}-gameday-prior-${info.Id.slice(0, 12)}` });
  await created.rename({ name });
  await created.start();
  const problem = await waitRunning(docker, created.id);
  if (problem) throw new Error(`${name} recreated with ${Object.keys(env).join(", ")} is not up: ${problem}`);
  const now = await created.inspect();
  const missing = Object.entries(env).filter(([k, v]) => !(now.Config.Env ?? []).includes(`${k}=${v}`));
  if (missing.length)
    throw new Error(`${name}: the override of ${missing.map(([k]) => k).join(", ")} is not in effect`);
  return created.id;
}

function ignoreNotModified(err: unknown): void {
  if ((err as { statusCode?: number }).statusCode !== 304) throw err;
}

/** Override containers of one owner tag (or of every run). */
export async function listOverrides(docker: Docker, runId?: string): Promise<Docker.ContainerInfo[]> {
  const label = [`${CONFIG_LABEL.role}=${OVERRIDE_ROLE}`];
  if (runId !== undefined) label.push(`${CONFIG_LABEL.run}=${runId}`);
  return docker.listContainers({ all: true, filters: { label } });
}

/**
 * Removes the override container and puts the prior one back under its name, in its run state.
 * Every step is idempotent, so a revert interrupted anywhere (or a second one) finishes the job.
 */
export async function restoreOverride(
  docker: Docker,
  overrideId: string,
  labels: Record<string, string>,
): Promise<void> {
  const priorId = labels[CONFIG_LABEL.priorId] ?? "";
  const priorName = labels[CONFIG_LABEL.priorName] ?? "";
  const wasRunning = labels[CONFIG_LABEL.priorRunning] === "true";
  const prior = await inspectOrUndefined(docker, priorId);
  if (!prior)
    throw new RollbackError(
      `the original container ${priorId.slice(0, 12)} (${priorName}) is gone; cannot restore it`,
    );
  try {
    await docker.getContainer(overrideId).remove({ force: true });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (containerName(prior) !== priorName) await docker.getContainer(priorId).rename({ name: priorName });
  if (wasRunning && !prior.State.Running) await docker.getContainer(priorId).start().catch(ignoreNotModified);
  if (wasRunning) {
    const problem = await waitRunning(docker, priorId);
    if (problem) throw new RollbackError(`${priorName} restored but not up: ${problem}`);
  }
  const gone = await inspectOrUndefined(docker, overrideId);
  const now = await inspectOrUndefined(docker, priorId);
  const diffs: string[] = [];
  if (gone) diffs.push(`override container ${overrideId.slice(0, 12)} still exists`);
  if (!now) diffs.push("original container vanished");
  else {
    if (containerName(now) !== priorName)
      diffs.push(`original is named ${containerName(now)}, was ${priorName}`);
    if (now.State.Running !== wasRunning)
      diffs.push(`original running=${now.State.Running}, was ${wasRunning}`);
  }
  if (diffs.length) throw new RollbackError(`${priorName}: ${diffs.join("; ")}`);
}

export function describeOverride(labels: Record<string, string>): string {
  return `${labels[CONFIG_LABEL.priorName] ?? "?"} recreated with ${labels[CONFIG_LABEL.env] ?? "?"}`;
}
