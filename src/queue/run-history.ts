import type { Redis } from "ioredis";
import { redactDeep } from "../redact/redact.js";
import type { QueueKeys } from "./queue-keys.js";
import { type RunRecord, runRecordSchema } from "./run-record.js";

/** Run records in Redis: one JSON value per run plus a sorted index by enqueue time. */
export class RunHistory {
  constructor(
    private readonly redis: Redis,
    private readonly keys: QueueKeys,
  ) {}

  /** Redacted: a record's reason and outcomes can quote a probe's error, and Redis is shared. */
  async put(record: RunRecord): Promise<void> {
    await this.redis
      .multi()
      .set(this.keys.run(record.id), JSON.stringify(redactDeep(record)))
      .zadd(this.keys.runs, "NX", record.enqueuedAt, record.id)
      .exec();
  }

  async get(id: string): Promise<RunRecord | undefined> {
    const raw = await this.redis.get(this.keys.run(id));
    return raw ? runRecordSchema.parse(JSON.parse(raw)) : undefined;
  }

  /** Read-modify-write; the record is created from `base` when it does not exist yet. */
  async update(id: string, patch: Partial<RunRecord>, base?: RunRecord): Promise<RunRecord> {
    const current = (await this.get(id)) ?? base;
    if (!current) throw new Error(`no run record ${id}`);
    const next = { ...current, ...patch };
    await this.put(next);
    return next;
  }

  /** Newest first. */
  async list(limit: number): Promise<RunRecord[]> {
    const ids = await this.redis.zrevrange(this.keys.runs, 0, Math.max(0, limit - 1));
    if (!ids.length) return [];
    const raws = await this.redis.mget(ids.map((id) => this.keys.run(id)));
    return raws.flatMap((r) => (r ? [runRecordSchema.parse(JSON.parse(r))] : []));
  }
}
