import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { buildPayload } from "../src/queue/build-payload.js";
import { queueConfig } from "../src/queue/queue-config.js";
import { connectRedis } from "../src/queue/redis-connection.js";
import { RunHistory } from "../src/queue/run-history.js";
import type { RunRecord } from "../src/queue/run-record.js";
import { queueExperiment, startPrivateTarget } from "../test/queue/support/private-target.js";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

export interface QueueBenchResult {
  runs: number;
  workers: number;
  concurrency: number;
  targets: number;
  wallS: number;
  throughputRps: number;
  queueLatencyP50Ms: number;
  queueLatencyP99Ms: number;
  workerPeakRssMiB: number[];
  passed: number;
  leaseTtlMs: number;
  killToRevertMs: number[];
  leaseExpiryToRevertMs: number[];
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startWorker(args: string[]) {
  const child = spawn(process.execPath, [CLI, "worker", ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.on("data", (d) => (log += d));
  const ready = (async () => {
    // 60 s: four workers starting at once on a loaded 2-core machine have taken longer than 15 s.
    for (let i = 0; i < 1200 && !log.includes(" ready: "); i++) await sleep(50);
    if (!log.includes(" ready: ")) throw new Error(`worker did not start: ${log}`);
  })();
  return { child, ready };
}

const peakRssMiB = (pid: number) =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

/**
 * Queue dispatch: `runs` short real runs (50 ms latency fault on a private Toxiproxy, spread over
 * `targets` targets so target locks do not serialize them) across `workers` worker processes;
 * then lease expiry to revert after a SIGKILL, with the default 10 s lease and 1 s janitor.
 */
export async function benchQueueDispatch(
  opts: {
    redis?: string;
    runs?: number;
    workers?: number;
    concurrency?: number;
    targets?: number;
    kills?: number;
  } = {},
): Promise<QueueBenchResult> {
  const runs = opts.runs ?? 1000;
  const nWorkers = opts.workers ?? 4;
  const concurrency = opts.concurrency ?? 4;
  const nTargets = opts.targets ?? 16;
  const names = Array.from({ length: nTargets }, (_, i) => `t${i}`);
  const t = await startPrivateTarget(names);
  const q = queueConfig({ redis: opts.redis, prefix: `bench-${Date.now().toString(36)}` });
  const redis = await connectRedis(q.url);
  const queue = new Queue(q.keys.queueName, { connection: redis, prefix: q.prefix });
  const history = new RunHistory(redis, q.keys);
  // Workers resolve targets only in their own targets file (the trust model), never the job's.
  const common = ["--redis", q.url, "--prefix", q.prefix, "--state-dir", t.stateDir, "--targets", t.targets];
  try {
    const payloads = await Promise.all(
      names.map((target) =>
        buildPayload(
          t.write(
            `${target}.yaml`,
            queueExperiment({ name: `bench-${target}`, target, faultFor: "50ms" }).replace("500ms", "50ms"),
          ),
          { targetsFile: t.targets },
        ),
      ),
    );
    const workers = Array.from({ length: nWorkers }, () =>
      startWorker(["--concurrency", String(concurrency), ...common]),
    );
    await Promise.all(workers.map((w) => w.ready));
    const started = Date.now();
    const ids = Array.from({ length: runs }, (_, i) => `bench-${i}`);
    await Promise.all(
      ids.map((id) =>
        history.put({
          id,
          name: "bench",
          kind: "experiment",
          file: "bench",
          status: "queued",
          enqueuedAt: Date.now(),
          experiments: [],
          reverted: [],
          remaining: [],
        }),
      ),
    );
    await queue.addBulk(
      ids.map((id, i) => ({
        name: "bench",
        data: payloads[i % nTargets],
        opts: { jobId: id, removeOnComplete: true },
      })),
    );
    let records: RunRecord[] = [];
    for (let i = 0; i < 1200; i++) {
      records = (await Promise.all(ids.map((id) => history.get(id)))).filter((r): r is RunRecord => !!r);
      if (records.every((r) => r.status === "finished")) break;
      await sleep(500);
    }
    const wallS = (Date.now() - started) / 1000;
    const rss = workers.map((w) => peakRssMiB(w.child.pid ?? 0));
    for (const w of workers) w.child.kill("SIGTERM");
    const latencies = records.map((r) => (r.startedAt ?? Number.NaN) - r.enqueuedAt);

    // Lease expiry to revert: the default lease (10 s), a surviving worker as the janitor.
    const killToRevert: number[] = [];
    const survivor = startWorker(common);
    await survivor.ready;
    const long = await buildPayload(
      t.write("long.yaml", queueExperiment({ name: "long", target: "t0", faultFor: "60s" })),
      {
        targetsFile: t.targets,
      },
    );
    for (let k = 0; k < (opts.kills ?? 3); k++) {
      const victim = startWorker(common);
      await victim.ready;
      survivor.child.kill("SIGSTOP"); // so the victim takes the job
      await queue.add("long", long, { jobId: `long-${k}` });
      for (let i = 0; i < 200 && !(await t.leftovers()).length; i++) await sleep(50);
      // Without a fault in place there is nothing to revert, and the figure would mean nothing.
      if (!(await t.leftovers()).length)
        throw new Error(`kill ${k + 1}: the victim worker never injected the fault`);
      survivor.child.kill("SIGCONT");
      victim.child.kill("SIGKILL");
      const killedAt = Date.now();
      for (let i = 0; i < 600 && (await t.leftovers()).length; i++) await sleep(50);
      killToRevert.push(Date.now() - killedAt);
    }
    survivor.child.kill("SIGTERM");
    return {
      runs,
      workers: nWorkers,
      concurrency,
      targets: nTargets,
      wallS,
      throughputRps: records.length / wallS,
      queueLatencyP50Ms: pct(latencies, 50),
      queueLatencyP99Ms: pct(latencies, 99),
      workerPeakRssMiB: rss.map((x) => Math.round(x)),
      passed: records.filter((r) => r.verdict === "passed").length,
      leaseTtlMs: 10_000,
      killToRevertMs: killToRevert,
      leaseExpiryToRevertMs: killToRevert.map((x) => x - 10_000),
    };
  } finally {
    await queue.close();
    await redis.quit();
    await t.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = Number(process.env.BENCH_QUEUE_RUNS ?? 1000);
  benchQueueDispatch({ runs }).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      process.exit(0);
    },
    (err) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(1);
    },
  );
}
