import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPayload } from "../../src/queue/build-payload.js";
import { enqueueRun } from "../../src/queue/enqueue-run.js";
import { queueConfig } from "../../src/queue/queue-config.js";
import type { RunRecord } from "../../src/queue/run-record.js";
import { runCli } from "../support/cli.js";
import { type PrivateTarget, queueExperiment, startPrivateTarget } from "./support/private-target.js";
import {
  dropPrefix,
  redis,
  spawnWorker,
  testPrefix,
  type WorkerProcess,
  waitUntil,
} from "./support/queue-processes.js";
import { REDIS_URL, requireRedis } from "./support/redis-server.js";

const REPETITIONS = 20;
// The fault lasts long enough that a kill at a random moment of its first half still lands while
// it is active on a loaded 2-core runner (3 s, with up to 2.3 s of sleep, missed it once in CI).
const FAULT_MS = 6000;

describe("crash-safe leases: kill -9 of a worker mid-fault, the fault is still reverted", () => {
  const prefix = testPrefix("sigkill");
  const q = queueConfig({ redis: REDIS_URL, prefix });
  const workerArgs = () => [
    "--lease-ttl",
    "2s",
    "--janitor-interval",
    "250ms",
    "--redis",
    REDIS_URL,
    "--prefix",
    prefix,
    "--state-dir",
    t.stateDir,
    "--targets",
    t.targets,
  ];
  let t: PrivateTarget;
  let file: string;
  const conn = redis(REDIS_URL);
  const record = async (id: string): Promise<RunRecord | undefined> => {
    const raw = await conn.get(q.keys.run(id));
    return raw ? JSON.parse(raw) : undefined;
  };

  beforeAll(async () => {
    await requireRedis();
    t = await startPrivateTarget(["t1"]);
    file = t.write(
      "victim.yaml",
      queueExperiment({
        name: "victim",
        faultFor: `${FAULT_MS}ms`,
        toxic: "{ proxy: up-t1, toxic: latency, latency: 20ms }",
      }),
    );
  });
  afterAll(async () => {
    conn.disconnect();
    await t.stop();
    await dropPrefix(REDIS_URL, prefix);
  });

  it(`${REPETITIONS} of ${REPETITIONS}: another worker reverts the dead run's faults and records an error`, async () => {
    const workers: WorkerProcess[] = await Promise.all([
      spawnWorker(workerArgs()),
      spawnWorker(workerArgs()),
    ]);
    const payload = await buildPayload(file, { targetsFile: t.targets });
    const outcomes: string[] = [];
    try {
      for (let rep = 0; rep < REPETITIONS; rep++) {
        const id = await enqueueRun(q, payload);
        await waitUntil(
          `rep ${rep}: the fault to be injected`,
          async () => (await t.leftovers()).length > 0,
          20_000,
        );
        const running = await waitUntil(
          `rep ${rep}: the run's worker`,
          async () => (await record(id))?.worker,
        );
        const injectedAt = Date.now();
        // A random moment of the fault's first half (the kill must land before it ends).
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * (FAULT_MS / 2))));
        const victim = workers.findIndex((w) => w.pid === running.pid);
        expect(victim, `rep ${rep}: worker pid ${running.pid} not one of ours`).toBeGreaterThanOrEqual(0);
        expect((await t.leftovers()).length, `rep ${rep}: the fault ended before the kill`).toBeGreaterThan(
          0,
        );
        await workers[victim]?.kill("SIGKILL");
        const killedAfter = Date.now() - injectedAt;
        const final = await waitUntil(
          `rep ${rep}: the janitor to record run ${id}`,
          async () => {
            const r = await record(id);
            return r?.status === "finished" && r;
          },
          15_000,
        );
        expect(final.verdict).toBe("error");
        expect(final.exitCode).toBe(5);
        expect(final.reason).toContain("stopped renewing its lease");
        expect(final.reverted.join()).toMatch(/latency=20 .*gameday[.@]\S*\.slow/);
        expect(await t.leftovers(), `rep ${rep}`).toEqual([]);
        outcomes.push(
          `rep ${rep}: killed ${killedAfter} ms into the fault, reverted ${final.reverted.length}`,
        );
        workers[victim] = await spawnWorker(workerArgs());
      }
    } finally {
      await Promise.all(workers.map((w) => w.kill("SIGKILL")));
    }
    expect(outcomes).toHaveLength(REPETITIONS);
    expect(await t.leftovers()).toEqual([]);
  }, 300_000);

  it("with no worker left, `gameday recover --leases` reverts once the lease expired", async () => {
    const p2 = `${prefix}-recover`;
    // A longer lease here: the first `recover --leases` (a CLI start) must come while it is still live.
    const only = await spawnWorker(workerArgs().map((a) => (a === prefix ? p2 : a === "2s" ? "6s" : a)));
    const q2 = queueConfig({ redis: REDIS_URL, prefix: p2 });
    const id = await enqueueRun(q2, await buildPayload(file, { targetsFile: t.targets }));
    await waitUntil("the fault to be injected", async () => (await t.leftovers()).length > 0);
    await only.kill("SIGKILL");
    const early = await runCli([
      "recover",
      "--leases",
      "--targets",
      t.targets,
      "--redis",
      REDIS_URL,
      "--prefix",
      p2,
    ]);
    expect(early.stdout).toContain("0 expired lease(s) reaped");
    await new Promise((r) => setTimeout(r, 6500));
    const res = await runCli([
      "recover",
      "--leases",
      "--targets",
      t.targets,
      "--redis",
      REDIS_URL,
      "--prefix",
      p2,
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/reverted t1\/toxiproxy: latency latency=20/);
    expect(await t.leftovers()).toEqual([]);
    const shown = await runCli(["runs", "show", id, "--redis", REDIS_URL, "--prefix", p2]);
    expect(shown.stdout).toContain("verdict error");
    expect(shown.stdout).toContain("reverted by janitor");
  });
});
