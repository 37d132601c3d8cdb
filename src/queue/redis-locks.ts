import type { Redis } from "ioredis";
import { endpointLockNames } from "../run/lock-names.js";
import type { Target } from "../targets/targets-schema.js";
import type { QueueKeys } from "./queue-keys.js";

/** The Redis lock keys of what these targets reach (one per endpoint), shared by workers and CLI runs. */
export function endpointLockKeys(
  keys: QueueKeys,
  inputs: { targetName: string; target: Target }[],
): string[] {
  const names = new Set(inputs.flatMap((i) => endpointLockNames(i.targetName, i.target)));
  return [...names].sort().map((n) => keys.lock(`endpoint:${n}`));
}

// All or nothing, in one script, so two workers can never each hold half of what they need.
const ACQUIRE = `
for i, key in ipairs(KEYS) do
  local holder = redis.call('GET', key)
  if holder and holder ~= ARGV[1] then return {i, holder} end
end
for _, key in ipairs(KEYS) do redis.call('SET', key, ARGV[1]) end
return {0, ARGV[1]}`;

const RELEASE = `
local n = 0
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key); n = n + 1 end
end
return n`;

export type LockAttempt = { ok: true } | { ok: false; key: string; holder: string };

/**
 * Named locks held by a lease id. They carry no TTL on purpose: a dead holder's locks are freed
 * by the janitor only after it reverted that run's faults, never by expiry alone.
 */
export async function acquireLocks(redis: Redis, keys: string[], owner: string): Promise<LockAttempt> {
  if (!keys.length) return { ok: true };
  const [index, holder] = (await redis.eval(ACQUIRE, keys.length, ...keys, owner)) as [number, string];
  if (index === 0) return { ok: true };
  return { ok: false, key: keys[index - 1] ?? "", holder };
}

export async function releaseLocks(redis: Redis, keys: string[], owner: string): Promise<number> {
  if (!keys.length) return 0;
  return (await redis.eval(RELEASE, keys.length, ...keys, owner)) as number;
}
