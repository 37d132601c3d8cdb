import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { progressPublisher } from "../../src/queue/progress-publisher.js";
import { queueKeys } from "../../src/queue/queue-keys.js";
import { RunHistory } from "../../src/queue/run-history.js";
import { clearSecrets, registerSecret } from "../../src/redact/redact.js";
import type { JournalEvent } from "../../src/run/journal-schema.js";

// Anyone who reaches Redis reads what gameday writes there, so secrets are masked before they go.
// These capture the written values in place of a connection: the queue tests use the real Redis.
afterEach(() => clearSecrets());

describe("what gameday writes to Redis is redacted", () => {
  it("run records", async () => {
    registerSecret("s3cret-token");
    const written: string[] = [];
    const chain = {
      set(_k: string, v: string) {
        written.push(v);
        return chain;
      },
      zadd: () => chain,
      exec: async () => [],
    };
    const history = new RunHistory({ multi: () => chain } as unknown as Redis, queueKeys("t"));
    await history.put({
      id: "r1",
      name: "n",
      kind: "experiment",
      file: "f.yaml",
      status: "finished",
      reason: "probe failed: GET http://ops:s3cret-token@127.0.0.1:9/metrics answered 401",
      enqueuedAt: 1,
      experiments: [],
      reverted: [],
      remaining: [],
    });
    expect(written).toHaveLength(1);
    expect(written[0]).not.toContain("s3cret-token");
    expect(written[0]).toContain("***");
  });

  it("live progress messages", async () => {
    registerSecret("s3cret-token");
    const sent: unknown[] = [];
    const publisher = progressPublisher({
      updateProgress: async (m: unknown) => sent.push(m),
    } as unknown as Job);
    publisher.event({
      t: 1,
      runId: "r1",
      type: "error",
      data: { message: "Authorization: Bearer s3cret-token refused" },
    } as unknown as JournalEvent);
    await publisher.flush();
    expect(JSON.stringify(sent)).not.toContain("s3cret-token");
    expect(JSON.stringify(sent)).toContain("***");
  });
});
