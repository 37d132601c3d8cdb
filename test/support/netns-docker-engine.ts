import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import Docker from "dockerode";
import { docker as hostDocker } from "./docker-engine.js";

const run = promisify(execFile);
const PREFIX = "gameday-netns-";

/**
 * A private Docker Engine inside a network namespace this test makes itself (`ip netns add`). It
 * is for the one action the host-networked sandbox cannot show, a network outage: its bridges,
 * veths and container addresses all live in that namespace, so nothing that crosses them can leave
 * it (the network rule). Only the network namespace is new (`nsenter --net`): the engine shares the
 * host's mounts and cgroups, and keeps its data in a temp folder removed at stop.
 */
export interface NetnsEngine {
  netns: string;
  socket: string;
  docker: Docker;
  /** GETs a URL from inside the namespace: the status code, or "unreachable" within timeoutMs. */
  fetchStatus(url: string, timeoutMs?: number): Promise<number | "unreachable">;
  stop(): Promise<void>;
}

export async function startNetnsEngine(images: string[]): Promise<NetnsEngine> {
  if (process.getuid?.() !== 0)
    throw new Error("the network-namespace Docker Engine needs root (ip netns, dockerd)");
  await removeStale();
  const netns = `${PREFIX}${process.pid}`;
  const dir = join(tmpdir(), netns);
  mkdirSync(dir, { recursive: true });
  try {
    await run("ip", ["netns", "add", netns]);
    await run("ip", ["-n", netns, "link", "set", "lo", "up"]);
  } catch (err) {
    throw new Error(
      `could not make network namespace ${netns} (iproute2's ip, as root): ${(err as Error).message}`,
    );
  }
  const socket = join(dir, "docker.sock");
  const log = openSync(join(dir, "dockerd.log"), "a");
  // Same flags as the host's engine (scripts/lib/docker.sh): no default bridge, hands off iptables.
  const dockerd = spawn(
    "nsenter",
    [`--net=/run/netns/${netns}`, "dockerd", "--host", `unix://${socket}`, "--data-root", join(dir, "data")]
      .concat(["--exec-root", join(dir, "exec"), "--pidfile", join(dir, "dockerd.pid")])
      .concat(["--bridge=none", "--iptables=false", "--ip-forward=false", "--ip-masq=false"])
      .concat(["--cgroup-parent", netns]),
    { detached: true, stdio: ["ignore", log, log] },
  );
  dockerd.unref();
  const docker = new Docker({ socketPath: socket, timeout: 30_000 });
  const engine: NetnsEngine = {
    netns,
    socket,
    docker,
    fetchStatus: (url, timeoutMs = 1000) => fetchInNetns(netns, url, timeoutMs),
    stop: () => stopEngine(docker, netns, dir),
  };
  try {
    await waitForPing(docker, join(dir, "dockerd.log"));
    for (const image of images) await docker.loadImage(await hostDocker.getImage(image).get());
  } catch (err) {
    await engine.stop();
    throw err;
  }
  return engine;
}

async function waitForPing(docker: Docker, log: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (
      await docker.ping().then(
        () => true,
        () => false,
      )
    )
      return;
    if (Date.now() > deadline)
      throw new Error(`dockerd in the test's network namespace did not answer within 60 s:\n${tail(log)}`);
    await sleep(250);
  }
}

const tail = (file: string) =>
  existsSync(file) ? readFileSync(file, "utf8").split("\n").slice(-15).join("\n") : "";

function fetchInNetns(netns: string, url: string, timeoutMs: number): Promise<number | "unreachable"> {
  const script = `require("node:http").get(${JSON.stringify(url)}, { timeout: ${timeoutMs} }, (r) => { console.log(r.statusCode); r.resume(); })
    .on("timeout", function () { this.destroy(new Error("timeout")); }).on("error", () => console.log("unreachable"));`;
  return run("nsenter", [`--net=/run/netns/${netns}`, process.execPath, "-e", script], {
    timeout: timeoutMs + 5000,
  }).then(({ stdout }) => (stdout.trim() === "unreachable" ? "unreachable" : Number(stdout.trim())));
}

/** Removes every container and network, stops dockerd, deletes the namespace and the data folder. */
async function stopEngine(docker: Docker, netns: string, dir: string): Promise<void> {
  const alive = await docker.ping().then(
    () => true,
    () => false,
  );
  if (alive) {
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
  await killDockerd(join(dir, "dockerd.pid"));
  await run("ip", ["netns", "del", netns]).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}

async function killDockerd(pidfile: string): Promise<void> {
  const pid = existsSync(pidfile) ? Number(readFileSync(pidfile, "utf8")) : 0;
  if (!pid) return;
  if (pidAlive(pid)) process.kill(pid, "SIGTERM");
  for (let i = 0; i < 200 && pidAlive(pid); i++) await sleep(100); // dockerd unmounts and stops containerd
  if (pidAlive(pid)) process.kill(pid, "SIGKILL");
}

/** An earlier test process killed before its afterAll left an engine behind: stop it. */
async function removeStale(): Promise<void> {
  const { stdout } = await run("ip", ["netns", "list"]).catch(() => ({ stdout: "" }));
  const names = new Set(stdout.split("\n").map((l) => l.split(" ")[0] ?? ""));
  for (const f of readdirSync(tmpdir())) if (f.startsWith(PREFIX)) names.add(f);
  for (const name of names) {
    const owner = Number(name.slice(PREFIX.length));
    if (!name.startsWith(PREFIX) || !owner || owner === process.pid || pidAlive(owner)) continue;
    const dir = join(tmpdir(), name);
    await stopEngine(new Docker({ socketPath: join(dir, "docker.sock"), timeout: 5000 }), name, dir);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
