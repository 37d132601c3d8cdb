import { execFile, spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import Docker from "dockerode";
import { docker as hostDocker } from "./docker-engine.js";
import {
  NETNS_PREFIX,
  NETNS_ROOT,
  removeStaleNetnsEngines,
  teardownNetnsEngine,
} from "./netns-engine-teardown.js";

const run = promisify(execFile);
let started = 0;

/**
 * A private Docker Engine inside a network namespace this test makes itself (`ip netns add`). It
 * is for the one action the host-networked sandbox cannot show, a network outage: its bridges,
 * veths and container addresses all live in that namespace, so nothing that crosses them can leave
 * it (the network rule). Only the network namespace is new (`nsenter --net`): the engine shares the
 * host's mounts and cgroups, and keeps its data in a folder removed at stop.
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
  await removeStaleNetnsEngines();
  const netns = `${NETNS_PREFIX}${process.pid}-${started++}`;
  const dir = join(NETNS_ROOT, netns);
  const socket = join(dir, "docker.sock");
  const docker = new Docker({ socketPath: socket, timeout: 30_000 });
  let pid: number | undefined;
  const engine: NetnsEngine = {
    netns,
    socket,
    docker,
    fetchStatus: (url, timeoutMs = 1000) => fetchInNetns(netns, url, timeoutMs),
    stop: () => teardownNetnsEngine(netns, pid),
  };
  try {
    mkdirSync(dir, { recursive: true });
    await run("ip", ["netns", "add", netns]);
    await run("ip", ["-n", netns, "link", "set", "lo", "up"]);
    pid = await spawnDockerd(netns, dir);
    for (const image of images) await loadImage(docker, image);
  } catch (err) {
    await engine.stop();
    throw new Error(
      `could not start a Docker Engine in network namespace ${netns}: ${(err as Error).message}`,
    );
  }
  return engine;
}

/** dockerd in the namespace, with the host engine's flags (scripts/lib/docker.sh); resolves once it answers. */
async function spawnDockerd(netns: string, dir: string): Promise<number> {
  const log = join(dir, "dockerd.log");
  const fd = openSync(log, "a");
  const args = [`--net=/run/netns/${netns}`, "dockerd", "--host", `unix://${join(dir, "docker.sock")}`]
    .concat([
      "--data-root",
      join(dir, "data"),
      "--exec-root",
      join(dir, "exec"),
      "--pidfile",
      join(dir, "dockerd.pid"),
    ])
    .concat(["--bridge=none", "--iptables=false", "--ip-forward=false", "--ip-masq=false"])
    .concat(["--containerd-namespace", netns, "--containerd-plugins-namespace", `${netns}-plugins`])
    .concat((process.env.GAMEDAY_DOCKERD_ARGS ?? "").split(/\s+/).filter(Boolean));
  // nsenter without --fork execs dockerd: the child's pid is dockerd's.
  const child = spawn("nsenter", args, { detached: true, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  child.unref();
  let exited = "";
  child.once("error", (err) => (exited = err.message));
  child.once("exit", (code, signal) => (exited = `dockerd exited (${signal ?? code})`));
  const docker = new Docker({ socketPath: join(dir, "docker.sock"), timeout: 5000 });
  const deadline = Date.now() + 60_000;
  while (
    !(await docker.ping().then(
      () => true,
      () => false,
    ))
  ) {
    if (exited || Date.now() > deadline)
      throw new Error(`${exited || "dockerd did not answer within 60 s"}:\n${tail(log)}`);
    await sleep(250);
  }
  return child.pid ?? 0;
}

/** `docker save | docker load`, reading the load's progress to the end so its errors surface. */
async function loadImage(docker: Docker, image: string): Promise<void> {
  const stream = await docker.loadImage(await hostDocker.getImage(image).get());
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, events: Array<{ error?: string }>) => {
      const failed = err?.message ?? events.find((e) => e.error)?.error;
      if (failed) reject(new Error(`loading ${image}: ${failed}`));
      else resolve();
    }),
  );
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
