import { readFileSync, writeFileSync } from "node:fs";
import type Docker from "dockerode";

/**
 * PID 1's oom_score_adj, read and written from the Docker host's /proc rather than by a privileged
 * exec inside the container: a privileged exec would run whatever `node` the container's PATH holds
 * with every capability. Only valid when /proc/<pid> is that container's process (gameday runs on
 * the Engine's host, in its PID namespace): its cgroup must name the container id.
 */
function hostProcOf(info: Docker.ContainerInspectInfo): string | undefined {
  const pid = info.State.Pid;
  if (!pid) return undefined;
  try {
    const cgroup = readFileSync(`/proc/${pid}/cgroup`, "utf8");
    return cgroup.includes(info.Id) ? `/proc/${pid}` : undefined;
  } catch {
    return undefined;
  }
}

/** Why PID 1's score cannot be restored from here, if it cannot (checked before a hog is started). */
export function hostOomAccessProblem(info: Docker.ContainerInspectInfo): string | undefined {
  const proc = hostProcOf(info);
  if (!proc)
    return `PID 1 of ${info.Name.replace(/^\//, "")} is not visible in this host's /proc, so its oom_score_adj could not be restored without a privileged exec (run gameday on the Docker host, or use oomVictim: hog)`;
  try {
    readFileSync(`${proc}/oom_score_adj`, "utf8");
    return undefined;
  } catch (err) {
    return `cannot read ${proc}/oom_score_adj: ${(err as Error).message}`;
  }
}

export function readHostOomScoreAdj(info: Docker.ContainerInspectInfo): number {
  const proc = hostProcOf(info);
  if (!proc) throw new Error(hostOomAccessProblem(info));
  return Number(readFileSync(`${proc}/oom_score_adj`, "utf8").trim());
}

/** Lowering a score needs CAP_SYS_RESOURCE, which gameday on the host has and the container's binaries never get. */
export function writeHostOomScoreAdj(info: Docker.ContainerInspectInfo, value: number): void {
  const proc = hostProcOf(info);
  if (!proc) throw new Error(hostOomAccessProblem(info));
  writeFileSync(`${proc}/oom_score_adj`, String(value));
}
