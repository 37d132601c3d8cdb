import type { Redis } from "ioredis";
import type { QueueKeys } from "./queue-keys.js";

/** Run ids registered with a lease that is still renewed: their faults belong to a living worker or CLI run. */
export async function liveLeaseRuns(redis: Redis, keys: QueueKeys): Promise<Map<string, string>> {
  const live = new Map<string, string>();
  for (const leaseId of await redis.smembers(keys.leases)) {
    if (!(await redis.exists(keys.lease(leaseId)))) continue;
    for (const runId of await redis.smembers(keys.leaseRuns(leaseId))) live.set(runId, `lease ${leaseId}`);
  }
  return live;
}
