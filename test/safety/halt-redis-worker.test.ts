import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrivateTarget, queueExperiment, startPrivateTarget } from "../queue/support/private-target.js";
import { spawnWorker, testPrefix, type WorkerProcess, waitUntil } from "../queue/support/queue-processes.js";
import { type PrivateRedis, startPrivateRedis } from "../queue/support/redis-server.js";
import { runCli } from "../support/cli.js";
import { waitForInjected } from "../support/journal-wait.js";

interface Event {
  t: number;
  type: string;
  data: Record<string, unknown>;
}

interface QueueRecord {
  id: string;
  status: string;
  verdict?: string;
  exitCode?: number;
  reason?: string;
}

const SAMPLE_INTERVAL_MS = 500;

function journals(stateDir: string): Event[][] {
  const runs = join(stateDir, "runs");
  return readdirSync(runs).map((id) =>
    readFileSync(join(runs, id, "journal.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Event),
  );
}

describe("gameday halt through Redis stops a worker's job (real redis-server, real worker, real Toxiproxy)", () => {
  let redis: PrivateRedis;
  let t: PrivateTarget;
  let worker: WorkerProcess | undefined;
  const prefix = testPrefix("halt");
  let q: string[];
  const show = async (id: string): Promise<QueueRecord> =>
    JSON.parse((await runCli(["runs", "show", id, ...q, "--json"])).stdout);
  const enqueue = async (file: string) => {
    const res = await runCli(["enqueue", file, "--targets", t.targets, ...q]);
    return { ...res, id: /as run (\S+)/.exec(res.stdout)?.[1] };
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    q = ["--redis", redis.url, "--prefix", prefix];
    t = await startPrivateTarget(["t1"]);
    t.write("long.yaml", queueExperiment({ name: "worker-long", faultFor: "60s" }));
    t.write("short.yaml", queueExperiment({ name: "worker-short", faultFor: "1s" }));
    worker = await spawnWorker([
      "--targets",
      t.targets,
      "--state-dir",
      t.stateDir,
      "--concurrency",
      "1",
      ...q,
    ]);
  });
  afterAll(async () => {
    await worker?.kill("SIGTERM");
    await t?.stop();
    await redis?.stop();
  });

  it("halt rolls the running job back within 1 s + one sample interval; the queued job waits, enqueue refuses; resume runs it", async () => {
    const long = await enqueue(join(t.dir, "long.yaml"));
    expect(long.code, long.stderr).toBe(0);
    await waitForInjected(t.stateDir);
    const short = await enqueue(join(t.dir, "short.yaml"));
    expect(short.code, short.stderr).toBe(0);
    expect((await t.leftovers()).length).toBe(1);

    // Another state folder: only Redis can carry this halt to the worker.
    const halt = await runCli([
      "halt",
      "--reason",
      "change freeze",
      "--state-dir",
      join(t.dir, "elsewhere"),
      ...q,
    ]);
    expect(halt.code, halt.stderr).toBe(0);
    expect(halt.stdout).toContain(`queue run ${long.id} (worker-long)`);

    const done = await waitUntil("the halted job's record", async () => {
      const r = await show(long.id as string);
      return r.status === "finished" && r;
    });
    expect(done.exitCode).toBe(3);
    expect(done.reason).toContain("change freeze");
    expect(await t.leftovers()).toEqual([]);
    const [journal] = journals(t.stateDir);
    const halted = journal?.find((e) => e.type === "run.halted");
    const reverted = journal?.find((e) => e.type === "fault.reverted");
    expect(halted?.data.reason).toBe("change freeze");
    const haltToVerified = (reverted?.t ?? Infinity) - Number(halted?.data.at);
    expect(haltToVerified).toBeLessThan(1000 + SAMPLE_INTERVAL_MS);

    // The queued job stays on the queue, untouched, saying why.
    const waiting = await waitUntil("the queued job to say it waits for the halt", async () => {
      const r = await show(short.id as string);
      return r.status === "waiting" && r;
    });
    expect(waiting.reason).toContain("change freeze");
    expect(journals(t.stateDir).length).toBe(1);
    expect(worker?.log()).toContain("change freeze");

    const refused = await enqueue(join(t.dir, "short.yaml"));
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain("E_HALTED");
    expect(refused.stderr).toContain("change freeze");

    const resumed = await runCli(["resume", ...q, "--state-dir", join(t.dir, "elsewhere")]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain("resumed");
    const ran = await waitUntil(
      "the waiting job to run after resume",
      async () => {
        const r = await show(short.id as string);
        return r.status === "finished" && r;
      },
      30_000,
    );
    expect(ran.exitCode, ran.reason).toBe(0);
    expect(await t.leftovers()).toEqual([]);
  });
});
