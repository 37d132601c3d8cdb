import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { type RunningToxiproxy, startToxiproxy } from "../support/toxiproxy-server.js";
import { type PrivateTarget, queueExperiment, startPrivateTarget } from "./support/private-target.js";
import {
  dropPrefix,
  redis,
  spawnWorker,
  testPrefix,
  type WorkerProcess,
  waitUntil,
} from "./support/queue-processes.js";
import { type PrivateRedis, startPrivateRedis } from "./support/redis-server.js";

/**
 * Jobs and lease records are written by anyone who reaches Redis. The worker's own targets file is
 * the only source of reach: a payload's targets text is never read, an unknown target is refused,
 * and the janitor resolves a dead lease's targets by name in its own file.
 */
describe("hostile jobs and lease records (real Redis, real Toxiproxy)", () => {
  const prefix = testPrefix("hostile");
  // A private Redis on a free port: nothing shared with other tests or helpers.
  let r: PrivateRedis;
  const q = () => ["--redis", r.url, "--prefix", prefix];
  let t: PrivateTarget;
  let elsewhere: RunningToxiproxy; // reach the worker's targets file does not grant
  let worker: WorkerProcess;
  let conn: ReturnType<typeof redis>;
  let queue: Queue;
  const show = async (id: string) =>
    JSON.parse((await runCli(["runs", "show", id, ...q(), "--json"])).stdout);
  const toxicsOn = async (url: string, proxy: string): Promise<string[]> => {
    const res = await fetch(`${url}/proxies/${proxy}`);
    if (!res.ok) return [];
    return ((await res.json()) as { toxics: { name: string }[] }).toxics.map((x) => x.name);
  };
  const finished = (id: string) =>
    waitUntil(
      `run ${id} to finish`,
      async () => {
        const r = await show(id).catch(() => undefined);
        return r?.status === "finished" && r;
      },
      60_000,
    );

  beforeAll(async () => {
    r = await startPrivateRedis();
    conn = redis(r.url);
    queue = new Queue("runs", { connection: conn, prefix });
    t = await startPrivateTarget(["t1"]);
    elsewhere = await startToxiproxy();
    await fetch(`${elsewhere.url}/proxies`, {
      method: "POST",
      body: JSON.stringify({ name: "up-t1", listen: "127.0.0.1:0", upstream: "127.0.0.1:9" }),
    });
    worker = await spawnWorker([
      "--targets",
      t.targets,
      "--state-dir",
      t.stateDir,
      "--lease-ttl",
      "2s",
      "--janitor-interval",
      "250ms",
      ...q(),
    ]);
  });
  afterAll(async () => {
    await worker?.kill("SIGTERM");
    await queue.close();
    conn.disconnect();
    await dropPrefix(r.url, prefix);
    await r?.stop();
    await elsewhere?.stop();
    await t?.stop();
  });

  const hostileTargets = (name: string) => ({
    file: "/tmp/forged-targets.yaml",
    text: `apiVersion: gameday/v1\nkind: Targets\ntargets:\n  ${name}:\n    vars: { UP_URL: "${t.urls.t1}" }\n    toxiproxy: { url: "${elsewhere.url}", proxies: [up-t1] }\n`,
  });

  it("a payload's targets text naming other reach is never read: the worker's own t1 is used", async () => {
    const text = queueExperiment({ name: "forged-reach", target: "t1", faultFor: "3s" });
    await queue.add(
      "forged-reach",
      {
        v: 1,
        name: "forged-reach",
        kind: "experiment",
        file: "/tmp/x.yaml",
        continueOnFailure: false,
        experiments: [{ file: "/tmp/x.yaml", text }],
        targets: hostileTargets("t1"),
      },
      { jobId: "forged-reach-1", attempts: 1 },
    );
    // The fault lands on the worker's Toxiproxy, never on the one the payload named.
    await waitUntil("the toxic on the worker's own Toxiproxy", async () =>
      (await toxicsOn(t.toxiproxy.url, "up-t1")).length > 0 ? true : undefined,
    );
    expect(await toxicsOn(elsewhere.url, "up-t1")).toEqual([]);
    const record = await finished("forged-reach-1");
    expect(record.exitCode, record.reason).toBe(0);
    expect(worker.log()).toContain("the job carries a targets text; ignored");
    expect(await toxicsOn(elsewhere.url, "up-t1")).toEqual([]);
  });

  it("a target only the payload defines is refused (exit 2), and nothing is sent anywhere", async () => {
    const text = queueExperiment({ name: "forged-target", target: "evil", faultFor: "1s" }).replace(
      "proxy: up-evil",
      "proxy: up-t1",
    );
    await queue.add(
      "forged-target",
      {
        v: 1,
        name: "forged-target",
        kind: "experiment",
        file: "/tmp/y.yaml",
        continueOnFailure: false,
        experiments: [{ file: "/tmp/y.yaml", text }],
        targets: hostileTargets("evil"),
      },
      { jobId: "forged-target-1", attempts: 1 },
    );
    const record = await finished("forged-target-1");
    expect(record).toMatchObject({ verdict: "error", exitCode: 2 });
    expect(record.reason).toContain('unknown target "evil"');
    expect(await toxicsOn(elsewhere.url, "up-t1")).toEqual([]);
  });

  it("the janitor skips a malformed lease record (logged), and resolves a dead lease's targets in its own file", async () => {
    const keys = {
      lease: (id: string) => `${prefix}:gd:lease-info:${id}`,
      runs: (id: string) => `${prefix}:gd:lease-runs:${id}`,
      leases: `${prefix}:gd:leases`,
    };
    // A record that does not parse, before the good one: it must not stop the sweep.
    await conn.set(keys.lease("aaa-broken"), "{not json");
    await conn.sadd(keys.leases, "aaa-broken");
    // A dead run's fault on the worker's own Toxiproxy, and a toxic of the same run on the other one.
    const install = /installation (\S+)/.exec(worker.log())?.[1] ?? "";
    const tag = `gameday@${install}.deadrun.slow`;
    for (const url of [t.toxiproxy.url, elsewhere.url])
      await fetch(`${url}/proxies/up-t1/toxics`, {
        method: "POST",
        body: JSON.stringify({ name: tag, type: "latency", attributes: { latency: 5 } }),
      });
    // An old-style record carrying full targets that point elsewhere: only the name "t1" is read.
    await conn.set(
      keys.lease("zzz-dead"),
      JSON.stringify({
        leaseId: "zzz-dead",
        recordId: "zzz-record",
        name: "dead",
        worker: { id: "w", host: "h", pid: 1 },
        targets: { t1: { toxiproxy: { url: elsewhere.url, proxies: ["up-t1"] } } },
        lockKeys: [],
        ttlMs: 1000,
        openedAt: Date.now(),
      }),
    );
    await conn.sadd(keys.runs("zzz-dead"), "deadrun");
    await conn.sadd(keys.leases, "zzz-dead");
    await waitUntil("the janitor to reap the dead lease", async () =>
      (await conn.sismember(keys.leases, "zzz-dead")) === 0 ? true : undefined,
    );
    expect(await toxicsOn(t.toxiproxy.url, "up-t1")).toEqual([]);
    expect(await toxicsOn(elsewhere.url, "up-t1")).toEqual([tag]); // not the worker's reach: untouched
    expect(worker.log()).toContain("lease aaa-broken has a malformed record");
    expect(await conn.sismember(keys.leases, "aaa-broken")).toBe(1); // skipped, kept as evidence
    expect(worker.log().match(/aaa-broken has a malformed record/g)).toHaveLength(1); // logged once
  });
});
