import { Queue, QueueEvents } from "bullmq";
import type { ProgressMessage } from "./progress-message.js";
import type { QueueConfig } from "./queue-config.js";
import { connectRedis, redisClient } from "./redis-connection.js";
import { RunHistory } from "./run-history.js";
import { type RunRecord, TERMINAL_STATUSES } from "./run-record.js";

export interface WaitOptions {
  onMessage: (m: ProgressMessage) => void;
  /** Gives up after this long (the run goes on; its record will say how it ended). */
  timeoutMs?: number;
  pollMs?: number;
}

/**
 * Streams a run's progress (QueueEvents) until its record is final. The record, not the job's
 * state, decides: it is written by the worker, or by the janitor when the worker died.
 */
export async function waitForRun(q: QueueConfig, id: string, opts: WaitOptions): Promise<RunRecord> {
  const redis = await connectRedis(q.url);
  const eventsConnection = redisClient(q.url);
  eventsConnection.on("error", () => {});
  const events = new QueueEvents(q.keys.queueName, { connection: eventsConnection, prefix: q.prefix });
  const queue = new Queue(q.keys.queueName, { connection: redis, prefix: q.prefix });
  const history = new RunHistory(redis, q.keys);
  events.on("progress", ({ jobId, data }) => {
    if (jobId === id && typeof data === "object" && data !== null) opts.onMessage(data as ProgressMessage);
  });
  events.on("error", () => {});
  const deadline = Date.now() + (opts.timeoutMs ?? 24 * 3600_000);
  let failedSince: number | undefined;
  try {
    await events.waitUntilReady();
    while (Date.now() < deadline) {
      const record = await history.get(id);
      if (!record) throw new Error(`no run ${id} in ${q.url} (prefix ${q.prefix})`);
      if (TERMINAL_STATUSES.includes(record.status)) return record;
      // A job bullmq failed outside our processor (say, stalled) gets a final record from the
      // janitor within a lease TTL; past that, the job's own failure is all there is.
      if ((await queue.getJobState(id)) === "failed") {
        failedSince ??= Date.now();
        if (Date.now() - failedSince > 20_000) {
          const job = await queue.getJob(id);
          return {
            ...record,
            status: "finished",
            verdict: "error",
            exitCode: 5,
            reason: `job failed: ${job?.failedReason ?? "unknown"}`,
          };
        }
      }
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 300));
    }
    throw new Error(`run ${id} did not finish within ${opts.timeoutMs} ms; see \`gameday runs show ${id}\``);
  } finally {
    await events.close().catch(() => {});
    await queue.close().catch(() => {});
    await eventsConnection.quit().catch(() => {});
    await redis.quit().catch(() => {});
  }
}
