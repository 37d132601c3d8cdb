import { JOB_OPTIONS, withQueue } from "./enqueue-run.js";
import type { JobPayload } from "./job-payload.js";
import type { QueueConfig } from "./queue-config.js";

export interface ScheduleInfo {
  name: string;
  cron: string | undefined;
  tz: string | undefined;
  next: number | undefined;
  file: string | undefined;
}

export function addSchedule(
  q: QueueConfig,
  name: string,
  cron: string,
  tz: string | undefined,
  payload: JobPayload,
): Promise<number | undefined> {
  return withQueue(q, async (queue) => {
    const job = await queue.upsertJobScheduler(
      name,
      { pattern: cron, ...(tz ? { tz } : {}) },
      { name: payload.name, data: { ...payload, schedule: name }, opts: JOB_OPTIONS },
    );
    const next = await queue.getJobScheduler(name);
    return next?.next ?? job.timestamp + (job.opts.delay ?? 0);
  });
}

export function listSchedules(q: QueueConfig): Promise<ScheduleInfo[]> {
  return withQueue(q, async (queue) =>
    (await queue.getJobSchedulers(0, -1, true)).map((s) => ({
      name: s.key,
      cron: s.pattern,
      tz: s.tz,
      next: s.next,
      file: (s.template?.data as JobPayload | undefined)?.file,
    })),
  );
}

export function removeSchedule(q: QueueConfig, name: string): Promise<boolean> {
  return withQueue(q, (queue) => queue.removeJobScheduler(name));
}
