import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort } from "../../support/toxiproxy-server.js";

/** The Redis of this suite: $REDIS_URL or the local default, which scripts/lib/redis.sh starts. */
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** Fails loudly (never skips) when the shared Redis does not answer. */
export async function requireRedis(url = REDIS_URL): Promise<void> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on("error", () => {});
  try {
    await r.connect();
    await r.ping();
  } catch (err) {
    throw new Error(
      `Redis at ${url} does not answer (${(err as Error).message}): run .ci/run or scripts/test.sh, which start it, or set REDIS_URL`,
    );
  } finally {
    r.disconnect();
  }
}

export interface PrivateRedis {
  url: string;
  port: number;
  dir: string;
  /** SIGTERM (a clean shutdown, AOF flushed) or SIGKILL, then the same port and data dir again. */
  restart(opts?: { downMs?: number; signal?: NodeJS.Signals }): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server of this test only (its own port and data dir, AOF fsynced on every write). */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  if (spawnSync("redis-server", ["--version"]).status !== 0)
    throw new Error("redis-server is not installed: scripts/lib/redis.sh installs Debian's redis-server");
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "gameday-redis-"));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      "redis-server",
      [
        "--bind",
        "127.0.0.1",
        "--port",
        String(port),
        "--dir",
        dir,
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--save",
        "",
      ],
      { stdio: "ignore" },
    );
    await requireRedisWithin(url, 10_000);
  };
  const stop = (signal: NodeJS.Signals = "SIGTERM") =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode) return resolve();
      child.once("exit", () => resolve());
      child.kill(signal);
    });
  await start();
  return {
    url,
    port,
    dir,
    restart: async (opts = {}) => {
      await stop(opts.signal);
      await new Promise((r) => setTimeout(r, opts.downMs ?? 1000));
      await start();
    },
    stop: () => stop(),
  };
}

async function requireRedisWithin(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await requireRedis(url);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
