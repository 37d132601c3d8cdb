import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { newRunId } from "../run/run-id.js";
import type { JobPayload } from "./job-payload.js";
import type { QueueConfig } from "./queue-config.js";
import { connectRedis } from "./redis-connection.js";
import { RunHistory } from "./run-history.js";

/** Job options shared by enqueued and scheduled runs. */
export const JOB_OPTIONS = {
  // One retry for an unexpected crash of the processor; invalid payloads are UnrecoverableError.
  attempts: 2,
  backoff: { type: "fixed", delay: 1000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 1000 },
} as const;

/** A queue on its own Redis connection for one piece of work, closed afterwards. */
export async function withQueue<T>(
  q: QueueConfig,
  fn: (queue: Queue, redis: Redis) => Promise<T>,
): Promise<T> {
  const redis = await connectRedis(q.url);
  const queue = new Queue(q.keys.queueName, { connection: redis, prefix: q.prefix });
  try {
    return await fn(queue, redis);
  } finally {
    await queue.close();
    await redis.quit().catch(() => {});
  }
}

/** Records the run as queued, then adds the job; returns the run id (= the job id). */
export function enqueueRun(q: QueueConfig, payload: JobPayload): Promise<string> {
  return withQueue(q, async (queue, redis) => {
    const id = `gd-${newRunId()}`;
    await new RunHistory(redis, q.keys).put({
      id,
      name: payload.name,
      kind: payload.kind,
      file: payload.file,
      status: "queued",
      enqueuedAt: Date.now(),
      experiments: [],
      reverted: [],
      remaining: [],
    });
    await queue.add(payload.name, payload, { ...JOB_OPTIONS, jobId: id });
    return id;
  });
}
