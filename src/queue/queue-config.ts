import { DEFAULT_QUEUE_PREFIX, type QueueKeys, queueKeys } from "./queue-keys.js";
import { redisUrl } from "./redis-connection.js";

/** Where the queue lives: a Redis URL and a key prefix (one Redis can hold many teams' queues). */
export interface QueueConfig {
  url: string;
  prefix: string;
  keys: QueueKeys;
}

export function queueConfig(opts: { redis?: string | undefined; prefix?: string | undefined }): QueueConfig {
  const prefix = opts.prefix ?? process.env.GAMEDAY_QUEUE_PREFIX ?? DEFAULT_QUEUE_PREFIX;
  return { url: redisUrl(opts.redis), prefix, keys: queueKeys(prefix) };
}
