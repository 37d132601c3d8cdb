import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { RunStore } from "../interfaces/run-store.js";
import { queueConfig } from "../queue/queue-config.js";
import { connectRedis } from "../queue/redis-connection.js";
import { RunHistory } from "../queue/run-history.js";
import { listSchedules } from "../queue/schedules.js";
import { CombinedRunStore } from "../store/combined-run-store.js";
import { LocalRunStore } from "../store/local-run-store.js";
import { RedisRunStore } from "../store/redis-run-store.js";
import { consoleApp } from "./console-app.js";
import { ConsoleAddressError, ConsolePortInUseError } from "./console-errors.js";
import { queueAbort } from "./queue-abort.js";
import { QueueFeed } from "./queue-feed.js";

export interface ConsoleOptions {
  stateDir: string;
  host: string;
  port: number;
  token?: string | undefined;
  /** Redis URL and prefix when the queue is configured; history and live runs then come from both. */
  redis?: { url?: string | undefined; prefix?: string | undefined } | undefined;
}

export interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** Serves the console; a non-loopback address only with a token (which every request must then carry). */
export async function startConsole(opts: ConsoleOptions): Promise<RunningConsole> {
  if (!LOOPBACK.has(opts.host) && !opts.token)
    throw new ConsoleAddressError(
      `refusing to serve the console on ${opts.host}: it can abort runs. Bind 127.0.0.1 (the default), or set a token (--token-file or GAMEDAY_CONSOLE_TOKEN) that every request must carry.`,
    );
  const stores: RunStore[] = [new LocalRunStore(opts.stateDir)];
  const closers: (() => Promise<unknown>)[] = [];
  let feed: QueueFeed | undefined;
  let abortQueue: ReturnType<typeof queueAbort> | undefined;
  let schedules: (() => ReturnType<typeof listSchedules>) | undefined;
  if (opts.redis) {
    const q = queueConfig({ redis: opts.redis.url, prefix: opts.redis.prefix });
    const redis = await connectRedis(q.url);
    closers.push(() => redis.quit().catch(() => {}));
    stores.push(new RedisRunStore(new RunHistory(redis, q.keys)));
    feed = await QueueFeed.start(q);
    closers.push(() => (feed as QueueFeed).close());
    abortQueue = queueAbort(redis, q.keys);
    schedules = () => listSchedules(q);
  }
  const app = consoleApp({
    store: new CombinedRunStore(stores),
    token: opts.token,
    queue: feed,
    queueAbort: abortQueue,
    schedules,
  });
  const server = createAdaptorServer({ fetch: app.fetch });
  const closeAll = async () => {
    for (const c of closers) await c();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err: NodeJS.ErrnoException) =>
        reject(err.code === "EADDRINUSE" ? new ConsolePortInUseError(opts.host, opts.port) : err),
      );
      server.listen(opts.port, opts.host, () => resolve());
    });
  } catch (err) {
    await closeAll();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const host = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      await closeAll();
    },
  };
}
