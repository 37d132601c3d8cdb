import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "../support/cli.js";
import { type PrivateTarget, queueExperiment, startPrivateTarget } from "./support/private-target.js";
import { spawnWorker, type WorkerProcess, waitUntil } from "./support/queue-processes.js";
import { type PrivateRedis, startPrivateRedis } from "./support/redis-server.js";

describe("Redis restarted during a game day (a private redis-server with AOF)", () => {
  let t: PrivateTarget;
  let r: PrivateRedis;
  let worker: WorkerProcess;
  const q = () => ["--redis", r.url, "--prefix", "restart"];

  beforeAll(async () => {
    t = await startPrivateTarget(["t1"]);
    r = await startPrivateRedis();
    worker = await spawnWorker([
      "--state-dir",
      t.stateDir,
      "--targets",
      t.targets,
      "--lease-ttl",
      "5s",
      ...q(),
    ]);
  });
  afterAll(async () => {
    await worker?.kill("SIGTERM");
    await r?.stop();
    await t?.stop();
  });

  it("the worker reconnects, the run ends with its faults reverted, and no record is lost", async () => {
    const quick = t.write("quick.yaml", queueExperiment({ name: "before-restart" }));
    const first = await runCli(["enqueue", quick, "--targets", t.targets, "--wait", "--quiet", ...q()]);
    expect(first.code, first.stderr).toBe(0);
    const firstId = /as run (\S+)/.exec(first.stdout)?.[1] ?? "";

    const long = t.write("long.yaml", queueExperiment({ name: "through-restart", faultFor: "4s" }));
    const waiter = spawn(process.execPath, [CLI, "enqueue", long, "--targets", t.targets, "--wait", ...q()], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let out = "";
    waiter.stdout.on("data", (d) => (out += d));
    waiter.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => waiter.once("exit", (code) => resolve(code)));
    try {
      await waitUntil("the fault to be injected", async () => (await t.leftovers()).length > 0);
      await r.restart({ downMs: 1500 });
      const code = await Promise.race([
        exited,
        new Promise<null>((res) => setTimeout(() => res(null), 60_000)),
      ]);
      expect([0, 5], out).toContain(code);
      expect(await t.leftovers()).toEqual([]);
      expect(worker.log()).toContain("reconnected to Redis");
      const id = /as run (\S+)/.exec(out)?.[1] ?? "";
      const record = JSON.parse((await runCli(["runs", "show", id, "--json", ...q()])).stdout);
      expect(record.status).toBe("finished");
      expect(record.exitCode).toBe(code);
      const list = await runCli(["runs", ...q()]);
      expect(list.stdout).toContain(firstId);
      expect(list.stdout).toContain(id);
      // The worker still takes jobs after the restart.
      const after = await runCli(["enqueue", quick, "--targets", t.targets, "--wait", "--quiet", ...q()]);
      expect(after.code, after.stderr).toBe(0);
    } finally {
      if (waiter.exitCode === null) waiter.kill("SIGKILL");
    }
  });

  it("a Redis killed with SIGKILL loses no run record (AOF fsync on every write)", async () => {
    const before = (await runCli(["runs", "--json", ...q()])).stdout;
    const ids = (JSON.parse(before) as { id: string }[]).map((x) => x.id);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    await r.restart({ signal: "SIGKILL", downMs: 200 });
    const after = JSON.parse((await runCli(["runs", "--json", ...q()])).stdout) as { id: string }[];
    expect(after.map((x) => x.id)).toEqual(ids);
  });
});
