import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { CLI } from "../../support/cli.js";

/** A unique key prefix per test file, so tests share one Redis without seeing each other. */
export function testPrefix(name: string): string {
  return `gdtest-${name}-${randomBytes(3).toString("hex")}`;
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  log(): string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | string | null>;
  kill(signal: NodeJS.Signals): Promise<number | string | null>;
}

/** A real `gameday worker` child process; resolves when it says it is ready. */
export async function spawnWorker(args: string[], env: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [CLI, "worker", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  let out = "";
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  const exited = new Promise<number | string | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal)),
  );
  const deadline = Date.now() + 15_000;
  while (!out.includes(" ready: ")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`worker did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    pid: child.pid ?? -1,
    log: () => out,
    exited,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls `fn` until it returns something truthy, at most `ms`. */
export async function waitUntil<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function redis(url: string): Redis {
  const r = new Redis(url, { maxRetriesPerRequest: null });
  r.on("error", () => {});
  return r;
}

/** Deletes every key of a test prefix from the shared Redis (bounded: SCAN pages). */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const r = redis(url);
  try {
    let cursor = "0";
    for (let page = 0; page < 10_000; page++) {
      const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length) await r.del(...keys);
      cursor = next;
      if (cursor === "0") break;
    }
  } finally {
    r.disconnect();
  }
}
