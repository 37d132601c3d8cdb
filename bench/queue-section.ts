import { benchQueueDispatch } from "./queue-dispatch.js";
import type { BenchContext } from "./support/context.js";
import type { Section } from "./support/report.js";

/** The 150 MB (10^6 bytes), in the MiB VmHWM is reported in. */
const WORKER_RSS_TARGET_MIB = 150e6 / 2 ** 20;

/** Section 7: queue dispatch across workers and lease-expiry-to-revert after kill -9 (real Redis). */
export async function benchQueue(ctx: Pick<BenchContext, "quick" | "log">): Promise<Section> {
  const runs = ctx.quick ? 200 : 1000;
  ctx.log(`queue: ${runs} runs across 4 workers`);
  const r = await benchQueueDispatch({ redis: process.env.REDIS_URL, runs, kills: ctx.quick ? 1 : 3 });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  return {
    id: "7",
    title: `Queue: ${r.runs} enqueued short runs across ${r.workers} workers (concurrency ${r.concurrency}), then kill -9 of a worker mid-fault`,
    commands: [
      `node dist/bench/queue-dispatch.js (REDIS_URL=${process.env.REDIS_URL ?? "redis://127.0.0.1:6379"})`,
    ],
    metrics: [
      { name: `runs passed (of ${r.runs})`, value: r.passed, unit: "" },
      { name: "dispatch throughput", value: r.throughputRps, unit: "rps" },
      { name: "queue latency p50 (backlog wait)", value: r.queueLatencyP50Ms, unit: "ms" },
      { name: "queue latency p99 (backlog wait)", value: r.queueLatencyP99Ms, unit: "ms" },
      {
        name: "worker peak RSS (max VmHWM; target 150 MB)",
        value: Math.max(...r.workerPeakRssMiB),
        unit: "MiB",
        below: WORKER_RSS_TARGET_MIB,
      },
      {
        name: `kill -9 -> faults reverted (lease ${r.leaseTtlMs} ms), median`,
        value: median(r.killToRevertMs),
        unit: "ms",
      },
      { name: "lease expiry -> faults reverted, median", value: median(r.leaseExpiryToRevertMs), unit: "ms" },
    ],
    notes: [
      `all runs are enqueued at once, so queue latency is the wait behind the backlog; ${r.targets} targets keep target locks from serialising them`,
      "each run: a 50 ms latency fault on a private Toxiproxy; workers are real `gameday worker` processes",
      `worker peak RSS per worker (MiB, VmHWM from /proc/<pid>/status after the last run): ${r.workerPeakRssMiB.join(", ")}`,
    ],
    ...(r.passed < r.runs ? { error: `${r.runs - r.passed} of ${r.runs} runs did not pass` } : {}),
    raw: r,
  };
}
