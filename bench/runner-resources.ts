import { gameday, shown } from "./support/cli.js";
import { assertClean, type BenchContext } from "./support/context.js";
import { experimentYaml } from "./support/experiment-yaml.js";
import { type ProcUsage, sampleProc } from "./support/proc-sampler.js";
import type { Section } from "./support/report.js";
import { readRun } from "./support/run-artifacts.js";

const RATE = 200;

/** RSS at the start, each quarter and the end of the run: a plateau and a leak look different here. */
function rssAtQuarters(series: [number, number][]): string {
  if (!series.length) return "no samples";
  const pick = (q: number) => series[Math.min(series.length - 1, Math.floor(q * (series.length - 1)))];
  return [0, 0.25, 0.5, 0.75, 1]
    .map((q) => pick(q))
    .map((p) => `${((p?.[0] ?? 0) / 1000).toFixed(0)}s: ${p?.[1]}`)
    .join(", ");
}

/**
 * Section 5: the runner's own CPU time and memory over a long run under steady load, polled from
 * /proc every 200 ms (the runner is a separate `node` process; the bench hosts the upstream).
 */
export async function benchRunnerResources(ctx: BenchContext): Promise<Section> {
  const holdS = ctx.quick ? 15 : 60;
  const file = ctx.ws.write(
    "resources.yaml",
    experimentYaml({
      name: "bench-resources",
      sampleInterval: "1s",
      rate: RATE,
      toxiproxy: `{ proxy: ${ctx.stack.proxyName}, toxic: latency, latency: 5ms, jitter: 2ms }`,
      at: "0s",
      for: `${holdS}s`,
      steadyState: ["{ name: healthy, source: load, metric: errorRatio, below: 0.05, over: 2s }"],
      expect: [
        "{ name: keeps serving, source: load, metric: errorRatio, below: 0.05, during: f1 }",
        "{ name: p95 under 500 ms, source: load, metric: p95, below: 500, during: f1 }",
      ],
      abortWhen: ["{ source: load, metric: errorRatio, above: 0.5, for: 5s }"],
      recoveryWithin: "10s",
    }),
  );
  const state = ctx.ws.stateDir("resources");
  const args = ["run", file, "--targets", ctx.ws.targets, "--state-dir", state];
  ctx.log(`runner resources: one ${holdS} s run at ${RATE} rps (about ${holdS + 4} s)`);
  const servedBefore = ctx.stack.served();
  let sampler: { stop(): ProcUsage } | undefined;
  const res = await gameday(args, {
    timeoutMs: (holdS + 60) * 1000,
    onSpawn: (pid) => (sampler = sampleProc(pid, 200)),
  });
  const usage = sampler?.stop() ?? {
    rssSeries: [],
    userS: Number.NaN,
    sysS: Number.NaN,
    maxRssMiB: Number.NaN,
    hwmMiB: Number.NaN,
    polls: 0,
    lastReadAt: 0,
  };
  await assertClean(ctx, "the resources run");
  const served = ctx.stack.served() - servedBefore;
  const notes: string[] = [];
  let requests = Number.NaN;
  let errors = Number.NaN;
  let loadSeconds = Number.NaN;
  try {
    const { journal, result } = readRun(state);
    requests = result.load?.requests ?? Number.NaN;
    errors = result.load?.errors ?? Number.NaN;
    const baseline = journal.find((e) => e.type === "phase" && e.data.phase === "baseline")?.t ?? Number.NaN;
    const end = journal.find((e) => e.type === "run.finished")?.t ?? Number.NaN;
    loadSeconds = (end - baseline) / 1000;
  } catch (err) {
    notes.push(`could not read the run's artifacts: ${(err as Error).message}`);
  }
  if (res.code !== 0) notes.push(`the run exited ${res.code} (expected 0): ${res.stderr.trim().slice(-400)}`);
  const cpu = usage.userS + usage.sysS;
  const exitAt = res.startedAt + res.wallMs;
  return {
    id: "5",
    title: `Runner CPU and memory: ${holdS} s fault under ${RATE} rps (one run${ctx.quick ? ", --quick" : ""})`,
    commands: [shown("node", ["dist/src/cli/main.js", ...args])],
    metrics: [
      { name: "peak RSS (max VmRSS over 200 ms polls)", value: usage.maxRssMiB, unit: "MiB", below: 150 },
      { name: "VmHWM at the last read", value: usage.hwmMiB, unit: "MiB", below: 150 },
      { name: "CPU time user+sys", value: cpu, unit: "s" },
      { name: "  user", value: usage.userS, unit: "s" },
      { name: "  sys", value: usage.sysS, unit: "s" },
      { name: "CPU share of wall time (of one core)", value: (cpu / (res.wallMs / 1000)) * 100, unit: "%" },
      { name: "wall time", value: res.wallMs / 1000, unit: "s" },
      { name: "requests sent by the runner's load generator", value: requests, unit: "" },
      { name: "achieved rate (requests / load phase)", value: requests / loadSeconds, unit: "rps" },
      { name: "failed requests", value: errors, unit: "" },
    ],
    notes: [
      `${usage.polls} polls of /proc/<pid>/stat and /status; the last read was ${Math.round(exitAt - usage.lastReadAt)} ms before exit, so up to that much CPU at the very end is not counted`,
      `the upstream answered ${served} requests through toxiproxy (latency 5ms ±2ms toxic for the whole fault)`,
      `VmRSS over the run (MiB): ${rssAtQuarters(usage.rssSeries)}`,
      "CPU and RSS are the runner's only: the bench process hosts the upstream, toxiproxy-server is its own process",
      ...notes,
    ],
    raw: { usage, wallMs: res.wallMs, exitCode: res.code, requests, errors, served, holdS },
  };
}
