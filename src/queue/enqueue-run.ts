import { Queue } from "bullmq";
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

/** Records the run as queued, then adds the job; returns the run id (= the job id). */
export async function enqueueRun(q: QueueConfig, payload: JobPayload): Promise<string> {
  const redis = await connectRedis(q.url);
  const queue = new Queue(q.keys.queueName, { connection: redis, prefix: q.prefix });
  try {
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
  } finally {
    await queue.close();
    await redis.quit().catch(() => {});
  }
}
