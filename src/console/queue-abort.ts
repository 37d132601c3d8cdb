import type { Redis } from "ioredis";
import type { RunSummary } from "../interfaces/run-store.js";
import type { QueueKeys } from "../queue/queue-keys.js";
import { type ControlMessage, controlChannel } from "../run/control/apply-control.js";

/** Publishes an abort for a queue run; true when at least one worker received it. */
export function queueAbort(redis: Redis, keys: QueueKeys) {
  return async (run: RunSummary): Promise<boolean> => {
    const msg: ControlMessage = { action: "abort", runId: run.runId, by: "console" };
    return (await redis.publish(controlChannel(keys.prefix), JSON.stringify(msg))) > 0;
  };
}
