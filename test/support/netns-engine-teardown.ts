import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import Docker from "dockerode";

const run = promisify(execFile);
/** A fixed, short root (not $TMPDIR): containerd's sockets under it must stay below 108 bytes. */
export const NETNS_ROOT = "/tmp";
export const NETNS_PREFIX = "gameday-netns-";

/**
 * Removes every container and network of a namespace engine, stops its dockerd and containerd,
 * unmounts what they left, deletes the namespace and the folder. Best effort throughout: whatever
 * is still there afterwards is reported by the test run's leftover check.
 */
export async function teardownNetnsEngine(netns: string, pid?: number): Promise<void> {
  const dir = join(NETNS_ROOT, netns);
  const docker = new Docker({ socketPath: join(dir, "docker.sock"), timeout: 10_000 });
  if (
    await docker.ping().then(
      () => true,
      () => false,
    )
  ) {
    for (const c of await docker.listContainers({ all: true }))
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
    for (const n of await docker.listNetworks())
      if (!["bridge", "host", "none"].includes(n.Name))
        await docker
          .getNetwork(n.Id)
          .remove()
          .catch(() => undefined);
  }
  await stopOwned(pid || pidFrom(join(dir, "dockerd.pid")), dir);
  await stopOwned(pidFrom(join(dir, "exec", "containerd", "containerd.pid")), dir);
  for (const mount of mountsUnder(dir)) await run("umount", ["-l", mount]).catch(() => undefined);
  await run("ip", ["netns", "del", netns]).catch(() => undefined);
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // left for the leftover check to name
  }
}

/** Engines of test processes that died before their teardown (their pid is in the name). */
export async function removeStaleNetnsEngines(): Promise<void> {
  const { stdout } = await run("ip", ["netns", "list"]).catch(() => ({ stdout: "" }));
  const names = new Set(stdout.split("\n").map((l) => l.split(" ")[0] ?? ""));
  for (const f of readdirSync(NETNS_ROOT)) names.add(f);
  for (const name of names) {
    const owner = Number(/^gameday-netns-(\d+)-\d+$/.exec(name)?.[1] ?? 0);
    if (owner && owner !== process.pid && !alive(owner)) await teardownNetnsEngine(name);
  }
}

/** Processes (dockerd, containerd, shims) still running from a namespace engine's folder. */
export function netnsEngineProcesses(): string[] {
  const out: string[] = [];
  for (const p of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    const cmd = cmdline(Number(p));
    if (cmd.includes(join(NETNS_ROOT, NETNS_PREFIX))) out.push(`process ${p}: ${cmd.slice(0, 120)}`);
  }
  return out;
}

/** Signals a pid only if its command line names this engine's folder: a stale pidfile may point anywhere. */
async function stopOwned(pid: number, dir: string): Promise<void> {
  const ours = () => pid > 0 && alive(pid) && cmdline(pid).includes(dir);
  if (!ours()) return;
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 200 && ours(); i++) await sleep(100); // dockerd unmounts and stops containerd
  if (!ours()) return;
  process.kill(pid, "SIGKILL");
  for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
}

function mountsUnder(dir: string): string[] {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[4] ?? "")
    .filter((m) => m.startsWith(`${dir}/`) || m === dir)
    .sort((a, b) => b.length - a.length); // deepest first
}

const pidFrom = (file: string) => (existsSync(file) ? Number(readFileSync(file, "utf8").trim()) || 0 : 0);

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
