import type { HaltSwitch } from "../interfaces/halt-switch.js";
import { redisConfigured } from "../queue/redis-configured.js";
import { AnyHaltSwitch } from "./any-halt-switch.js";
import { FolderHaltSwitch } from "./folder-halt-switch.js";

/**
 * The halt switch of a command: the state folder, plus Redis when it is configured (--redis or
 * $REDIS_URL, as for locks and history). ioredis is loaded only then.
 */
export async function haltSwitchFor(opts: {
  stateDir: string;
  redis?: string | undefined;
  prefix?: string | undefined;
}): Promise<HaltSwitch> {
  const folder = new FolderHaltSwitch(opts.stateDir);
  if (!redisConfigured(opts.redis)) return folder;
  const { queueConfig } = await import("../queue/queue-config.js");
  const { RedisHaltSwitch } = await import("./redis-halt-switch.js");
  const q = queueConfig({ redis: opts.redis, prefix: opts.prefix });
  return new AnyHaltSwitch([new RedisHaltSwitch(q.url, q.keys), folder]);
}
