import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

interface Record {
  id: string;
  status: string;
  verdict?: string;
  exitCode?: number;
  reason?: string;
  startedAt?: number;
  endedAt?: number;
  worker?: { id: string; pid: number };
  experiments: { failing: string[]; artifactsDir: string; target: string }[];
  artifacts?: { report: string };
}

describe("queue: enqueue, workers, history, locks, bad input (real Redis, real Toxiproxy)", () => {
  const prefix = testPrefix("worker");
  const q = ["--redis", REDIS_URL, "--prefix", prefix];
  let t: PrivateTarget;
  const workers: WorkerProcess[] = [];
  const show = async (id: string): Promise<Record> =>
    JSON.parse((await runCli(["runs", "show", id, ...q, "--json"])).stdout);
  const enqueue = async (file: string, extra: string[] = []) => {
    const res = await runCli(["enqueue", file, "--targets", t.targets, ...q, ...extra]);
    const id = /as run (\S+)/.exec(res.stdout)?.[1];
    return { ...res, id };
  };

  beforeAll(async () => {
    await requireRedis();
    t = await startPrivateTarget(["t1", "t2"]);
    for (const target of ["t1", "t2"])
      t.write(`${target}.yaml`, queueExperiment({ name: `on-${target}`, target, faultFor: "2s" }));
    t.write(
      "fail.yaml",
      queueExperiment({
        name: "fails",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: ${VAR} is gameday's interpolation syntax
        expect: '    - { name: upstream is down, http: { url: "${UP_URL}/" }, equals: 500, during: slow }',
      }),
    );
    for (let i = 0; i < 2; i++)
      workers.push(
        await spawnWorker([
          "--targets",
          t.targets,
          "--concurrency",
          "2",
          "--state-dir",
          t.stateDir,
          "--lease-ttl",
          "3s",
          "--janitor-interval",
          "500ms",
          ...q,
        ]),
      );
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill("SIGTERM")));
    await t.stop();
    await dropPrefix(REDIS_URL, prefix);
  });

  it("enqueue --wait streams the suite and exits with its verdict; runs and runs show tell the story", async () => {
    const suite = t.write("suite.yaml", gameDay("monthly", ["t1.yaml", "fail.yaml"], true));
    const res = await enqueue(suite, ["--wait"]);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toContain("⚡ injected slow");
    expect(res.stderr).toContain("PASSED on-t1");
    expect(res.stderr).toContain("FAILED fails");
    const record = await show(res.id ?? "");
    expect(record).toMatchObject({ status: "finished", verdict: "failed", exitCode: 1 });
    expect(record.experiments[1]?.failing.join()).toContain("upstream is down");
    expect(record.experiments[0]?.artifactsDir).toContain(t.stateDir);
    expect(record.artifacts?.report).toMatch(/gamedays\/.*report\.md$/);
    const list = await runCli(["runs", ...q, "--limit", "5"]);
    expect(list.stdout).toContain(`${res.id}  failed`);
    const human = await runCli(["runs", "show", res.id ?? "", ...q]);
    expect(human.stdout).toContain("✗ upstream is down");
    expect(await t.leftovers()).toEqual([]);
  });

  it("runs on one target never overlap; runs on different targets run in parallel, on whichever worker has a free slot", async () => {
    const ids: string[] = [];
    for (const f of ["t1.yaml", "t1.yaml", "t2.yaml", "t1.yaml"])
      ids.push((await enqueue(`${t.dir}/${f}`)).id ?? "");
    const records = await waitUntil(
      "all four runs to finish",
      async () => {
        const all = await Promise.all(ids.map(show));
        return all.every((r) => r.status === "finished") && all;
      },
      60_000,
    );
    for (const r of records) expect(r.verdict, r.reason).toBe("passed");
    const overlap = (a: Record, b: Record) =>
      (a.startedAt ?? 0) < (b.endedAt ?? 0) && (b.startedAt ?? 0) < (a.endedAt ?? 0);
    const [a, b, c, d] = records as [Record, Record, Record, Record];
    expect(overlap(a, b) || overlap(a, d) || overlap(b, d)).toBe(false);
    // t2 runs while t1 runs are in progress, on a worker slot of its own.
    expect(
      [a, b, d].some((x) => overlap(x, c)),
      JSON.stringify(records.map((r) => [r.startedAt, r.endedAt, r.reason])),
    ).toBe(true);
    // Which worker takes a job is BullMQ's choice: one slot each left the second worker blocked
    // in its fetch while the first ran everything (no overlap); two slots each let one worker take
    // every job. What holds is that every run names a worker of this pool.
    const pids = new Set(workers.map((w) => w.pid));
    for (const r of records) expect(pids.has(r.worker?.pid ?? -1), JSON.stringify(r.worker)).toBe(true);
    expect(await t.leftovers()).toEqual([]);
  });

  it("refuses an invalid experiment at enqueue with the same errors as validate", async () => {
    const bad = t.write("bad.yaml", queueExperiment({ name: "bad", faultFor: "soon" }));
    const validate = await runCli(["validate", bad, "--targets", t.targets]);
    const res = await enqueue(bad);
    expect(res.code).toBe(2);
    expect(res.id).toBeUndefined();
    const issue =
      validate.stderr
        .split("\n")
        .find((l) => l.includes("bad.yaml:"))
        ?.replace(/^✗ /, "") ?? "?";
    expect(issue).toContain("spec.faults[0].for");
    expect(res.stderr).toContain(issue);
  });

  it("a job whose payload fails validation in the worker fails at once, without retries", async () => {
    const conn = redis(REDIS_URL);
    const queue = new Queue("runs", { connection: conn, prefix });
    try {
      const job = await queue.add(
        "forged",
        { v: 1, name: "forged", kind: "experiment" },
        { jobId: "forged-1", attempts: 3 },
      );
      const state = await waitUntil(
        "the forged job to fail",
        async () => (await job.getState()) === "failed" && queue.getJob("forged-1"),
      );
      expect(state?.attemptsMade).toBe(1);
      expect(state?.failedReason).toContain("invalid job payload");
      expect(await show("forged-1")).toMatchObject({ status: "finished", verdict: "error", exitCode: 2 });
    } finally {
      await queue.close();
      conn.disconnect();
    }
  });

  it("an unreachable Redis is a clear error naming the URL", async () => {
    const res = await runCli([
      "enqueue",
      `${t.dir}/t1.yaml`,
      "--targets",
      t.targets,
      "--redis",
      "redis://127.0.0.1:1",
    ]);
    expect(res.code).toBe(5);
    expect(res.stderr).toContain("cannot reach Redis at redis://127.0.0.1:1");
  });

  it("SIGTERM mid-fault: the worker rolls back, records the run as aborted, and exits", async () => {
    const w = await spawnWorker([
      "--state-dir",
      t.stateDir,
      "--targets",
      t.targets,
      ...q,
      "--prefix",
      `${prefix}-term`,
    ]);
    const qq = ["--redis", REDIS_URL, "--prefix", `${prefix}-term`];
    const long = t.write("long.yaml", queueExperiment({ name: "long", faultFor: "60s" }));
    const res = await runCli(["enqueue", long, "--targets", t.targets, ...qq]);
    const id = /as run (\S+)/.exec(res.stdout)?.[1] ?? "";
    await waitUntil("the fault to be injected", async () => (await t.leftovers()).length > 0);
    expect(await w.kill("SIGTERM")).toBe(0);
    expect(await t.leftovers()).toEqual([]);
    const record = JSON.parse((await runCli(["runs", "show", id, ...qq, "--json"])).stdout) as Record;
    expect(record).toMatchObject({ status: "finished", verdict: "aborted", exitCode: 3 });
    expect(w.log()).toContain("SIGTERM received");
  });
});
