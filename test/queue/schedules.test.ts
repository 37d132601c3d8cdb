import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueConfig } from "../../src/queue/queue-config.js";
import type { RunRecord } from "../../src/queue/run-record.js";
import { runCli } from "../support/cli.js";
import {
  gameDay,
  type PrivateTarget,
  queueExperiment,
  startPrivateTarget,
} from "./support/private-target.js";
import {
  dropPrefix,
  redis,
  spawnWorker,
  testPrefix,
  type WorkerProcess,
  waitUntil,
} from "./support/queue-processes.js";
import { REDIS_URL, requireRedis } from "./support/redis-server.js";

describe("schedules: bullmq job schedulers, never two runs of one game day at once", () => {
  const prefix = testPrefix("sched");
  const q = ["--redis", REDIS_URL, "--prefix", prefix];
  const keys = queueConfig({ redis: REDIS_URL, prefix }).keys;
  const conn = redis(REDIS_URL);
  let t: PrivateTarget;
  let suite: string;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    await requireRedis();
    t = await startPrivateTarget(["t1"]);
    t.write("e.yaml", queueExperiment({ name: "scheduled", faultFor: "2500ms" }));
    suite = t.write("monthly.yaml", gameDay("monthly", ["e.yaml"]));
  });
  afterAll(async () => {
    await worker?.kill("SIGTERM");
    conn.disconnect();
    await t.stop();
    await dropPrefix(REDIS_URL, prefix);
  });

  it("add, list and remove a monthly schedule in a time zone", async () => {
    const add = await runCli([
      "schedule",
      "add",
      "monthly",
      suite,
      "--cron",
      "0 10 1 * *",
      "--tz",
      "Europe/Berlin",
      "--targets",
      t.targets,
      ...q,
    ]);
    expect(add.code, add.stderr).toBe(0);
    const next = new Date(/next (\S+)/.exec(add.stdout)?.[1] ?? "");
    expect(next.getUTCDate()).toBe(1);
    expect([8, 9]).toContain(next.getUTCHours()); // 10:00 in Berlin, summer or winter time
    const list = await runCli(["schedule", "list", ...q]);
    expect(list.stdout).toContain('monthly  "0 10 1 * *" Europe/Berlin');
    expect(list.stdout).toContain(suite);
    expect((await runCli(["schedule", "remove", "monthly", ...q])).code).toBe(0);
    expect((await runCli(["schedule", "list", ...q])).stdout).toContain("no schedules");
    expect((await runCli(["schedule", "remove", "monthly", ...q])).code).toBe(2);
  });

  it("refuses a bad cron pattern and an invalid game day", async () => {
    const cron = await runCli([
      "schedule",
      "add",
      "x",
      suite,
      "--cron",
      "61 * * * *",
      "--targets",
      t.targets,
      ...q,
    ]);
    expect(cron.code).toBe(2);
    expect(cron.stderr).toContain('invalid schedule --cron "61 * * * *"');
    const bad = t.write("bad-suite.yaml", gameDay("bad", ["missing.yaml"]));
    const res = await runCli([
      "schedule",
      "add",
      "x",
      bad,
      "--cron",
      "* * * * *",
      "--targets",
      t.targets,
      ...q,
    ]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("spec.experiments[0]: no such experiment file");
  });

  it("a schedule firing while the previous run still runs does not start a second one", async () => {
    worker = await spawnWorker([
      "--concurrency",
      "3",
      "--state-dir",
      t.stateDir,
      "--targets",
      t.targets,
      ...q,
    ]);
    // Every second, while one run takes about 3.5 s.
    const add = await runCli([
      "schedule",
      "add",
      "often",
      suite,
      "--cron",
      "* * * * * *",
      "--targets",
      t.targets,
      ...q,
    ]);
    expect(add.code, add.stderr).toBe(0);
    const records = async () =>
      (await Promise.all((await conn.zrange(keys.runs, "0", "-1")).map((id) => conn.get(keys.run(id)))))
        .flatMap((r) => (r ? [JSON.parse(r) as RunRecord] : []))
        .filter((r) => r.schedule === "often");
    await waitUntil(
      "a skipped firing",
      async () => (await records()).some((r) => r.status === "skipped"),
      20_000,
    );
    expect((await runCli(["schedule", "remove", "often", ...q])).code).toBe(0);
    const all = await waitUntil(
      "scheduled runs to settle",
      async () => {
        const rs = await records();
        return rs.every((r) => r.status === "finished" || r.status === "skipped") && rs;
      },
      20_000,
    );
    const ran = all.filter((r) => r.status === "finished");
    expect(ran.length).toBeGreaterThanOrEqual(1);
    for (const r of ran) expect(r.verdict, r.reason).toBe("passed");
    for (const a of ran)
      for (const b of ran)
        if (a !== b)
          expect((a.startedAt ?? 0) < (b.endedAt ?? 0) && (b.startedAt ?? 0) < (a.endedAt ?? 0)).toBe(false);
    const skipped = all.filter((r) => r.status === "skipped");
    expect(skipped[0]?.reason).toMatch(/previous run \S+ of game day monthly is still running/);
    expect(await t.leftovers()).toEqual([]);
  });
});
