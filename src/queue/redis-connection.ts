import { Redis } from "ioredis";
import { ExitCode, GamedayError } from "../errors/gameday-error.js";
import { withTimeout } from "./with-timeout.js";

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/** --redis, else $REDIS_URL, else the local default. */
export function redisUrl(option?: string): string {
  return option ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
}

/** Redis could not be reached: the message names the URL, exit 5. */
export class RedisUnavailableError extends GamedayError {
  constructor(url: string, cause: unknown) {
    super(
      "E_REDIS",
      `cannot reach Redis at ${url}: ${(cause as Error).message ?? String(cause)} (start redis-server, or set REDIS_URL / --redis)`,
      ExitCode.error,
      { cause },
    );
  }
}

/**
 * A connection that survives a Redis restart: commands wait offline and are sent after the
 * reconnect (bullmq needs maxRetriesPerRequest: null). Use `connectRedis` to fail fast first.
 */
export function redisClient(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(100 * times, 1000),
    lazyConnect: true,
  });
}

/** Connects and pings within `timeoutMs`, or throws a RedisUnavailableError naming the URL. */
export async function connectRedis(url: string, timeoutMs = 3000): Promise<Redis> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let lastError: Error | undefined;
  probe.on("error", (err: Error) => {
    lastError = err;
  });
  try {
    await withTimeout(
      probe.connect().then(() => probe.ping()),
      timeoutMs,
      "connecting",
    );
  } catch (err) {
    probe.disconnect();
    throw new RedisUnavailableError(url, lastError ?? err);
  }
  probe.disconnect();
  const client = redisClient(url);
  // Reconnects are logged by whoever owns the client; an unhandled 'error' event would crash.
  client.on("error", () => {});
  await client.connect();
  return client;
}
