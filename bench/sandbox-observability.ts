import { statSync } from "node:fs";
import { join } from "node:path";
import { serviceLogFiles } from "../sandbox-services/lib/observe/log-files.js";
import { type RunningJaeger, startJaeger } from "../test/support/jaeger-server.js";
import {
  APP_BENCH_OFFSET,
  benchSandboxDir,
  benchSandboxDown,
  benchSandboxUp,
  cpuSeconds,
  type LoadResult,
  openLoop,
  SERVICES,
  servicePids,
} from "./support/bench-sandbox.js";
import type { BenchContext } from "./support/context.js";
import type { Metric, Section } from "./support/report.js";
import { median } from "./support/stats.js";

const RPS = 200;

/** off: no logs, no trace context; on: logs + traceparent; export: on, and every span sent to Jaeger. */
type Mode = "off" | "on" | "export";
const MODES: readonly Mode[] = ["on", "off", "export"];

interface Round {
  mode: Mode;
  /** CPU of the four service processes over the measured window, in % of one core. */
  cpuPct: number;
  perService: Record<string, number>;
  load: LoadResult;
  /** Bytes the services' JSON logs grew by during the window. */
  logBytes: number;
  /** Jaeger's own CPU over the window, in % of one core (it shares the machine's two cores). */
  jaegerCpuPct: number;
}

/**
 * The size of the services' JSON logs, rotated files included (a rotation during the window moves
 * bytes to <service>.1.jsonl; only a file deleted beyond SANDBOX_LOG_MAX_FILES would be missed).
 */
function logBytes(dir: string): number {
  let n = 0;
  for (const s of SERVICES) {
    for (const file of serviceLogFiles(join(dir, "logs"), s)) {
      try {
        n += statSync(file).size;
      } catch {
        // no file yet
      }
    }
  }
  return n;
}

/**
 * Section "obs": what the sandbox's structured logs and traceparent propagation cost at 200
 * checkouts/s, and what exporting every span to a real tracing backend (Jaeger, over OTLP) adds.
 * The bench's own sandbox is started with SANDBOX_OBSERVE on and off, and on with
 * SANDBOX_OTLP_TRACES, in turn (the launcher restarts the services when a setting changes); each
 * round warms up, then measures the CPU of the four service processes (utime+stime from /proc) and
 * checkout's p99 over a window. Rounds cycle through the modes so the machine's drift hits each
 * alike; medians per mode.
 */
export async function benchObservability(ctx: BenchContext): Promise<Section> {
  const rounds = ctx.quick ? 3 : 5;
  const windowS = ctx.quick ? 8 : 20;
  const dir = benchSandboxDir(ctx);
  const before = { observe: process.env.SANDBOX_OBSERVE, traces: process.env.SANDBOX_OTLP_TRACES };
  const raw: Round[] = [];
  let jaeger: RunningJaeger | undefined;
  let exported = 0;
  try {
    jaeger = await startJaeger();
    for (let i = 0; i < rounds * MODES.length; i++) {
      const mode = MODES[i % MODES.length] as Mode;
      process.env.SANDBOX_OBSERVE = mode === "off" ? "off" : "on";
      if (mode === "export") process.env.SANDBOX_OTLP_TRACES = jaeger.otlpTracesUrl;
      else delete process.env.SANDBOX_OTLP_TRACES;
      ctx.log(`obs: round ${Math.floor(i / MODES.length) + 1}/${rounds}, mode ${mode}`);
      const ep = await benchSandboxUp(ctx);
      // Warm-up, ramped (JIT, caches): a freshly started stack hit with 200 rps at once can fall
      // into a queue it never leaves on a busy machine, which would measure the machine instead.
      for (const [rps, s] of [
        [50, 2],
        [100, 2],
        [RPS, 3],
      ] as const)
        await openLoop(ep.checkoutUrl, rps, s);
      const pids = await servicePids(ep);
      const cpu0 = Object.fromEntries(SERVICES.map((s) => [s, cpuSeconds(pids[s])]));
      const log0 = logBytes(dir);
      const jaeger0 = cpuSeconds(jaeger.pid);
      const t0 = performance.now();
      const load = await openLoop(ep.checkoutUrl, RPS, windowS);
      const elapsedS = (performance.now() - t0) / 1000;
      const perService = Object.fromEntries(
        SERVICES.map((s) => [s, ((cpuSeconds(pids[s]) - (cpu0[s] ?? 0)) / elapsedS) * 100]),
      );
      const round: Round = {
        mode,
        cpuPct: Object.values(perService).reduce((a, b) => a + b, 0),
        perService,
        load,
        logBytes: logBytes(dir) - log0,
        jaegerCpuPct: ((cpuSeconds(jaeger.pid) - jaeger0) / elapsedS) * 100,
      };
      // The switch must really switch: traced answers and log lines with it on, none with it off.
      const observe = mode !== "off";
      if (observe ? load.traced === 0 || round.logBytes === 0 : load.traced > 0 || round.logBytes > 0)
        throw new Error(
          `SANDBOX_OBSERVE=${observe ? "on" : "off"} did not take: ${load.traced} traced answers, ${round.logBytes} log bytes`,
        );
      raw.push(round);
    }
    // The export must really export: Jaeger knows the four services.
    exported = (await jaeger.services()).filter((s) => (SERVICES as readonly string[]).includes(s)).length;
    if (exported !== SERVICES.length) throw new Error(`Jaeger received spans from ${exported} of 4 services`);
  } finally {
    if (before.observe === undefined) delete process.env.SANDBOX_OBSERVE;
    else process.env.SANDBOX_OBSERVE = before.observe;
    if (before.traces === undefined) delete process.env.SANDBOX_OTLP_TRACES;
    else process.env.SANDBOX_OTLP_TRACES = before.traces;
    await benchSandboxDown(ctx);
    await jaeger?.stop();
  }
  const of = (mode: Mode) => raw.filter((r) => r.mode === mode);
  const med = (mode: Mode, f: (r: Round) => number) => median(of(mode).map(f));
  const cpuOn = med("on", (r) => r.cpuPct);
  const cpuOff = med("off", (r) => r.cpuPct);
  const cpuExport = med("export", (r) => r.cpuPct);
  const p99On = med("on", (r) => r.load.p99Ms);
  const p99Off = med("off", (r) => r.load.p99Ms);
  const p99Export = med("export", (r) => r.load.p99Ms);
  const metrics: Metric[] = [
    { name: "services' CPU, logs+tracing on (median)", value: cpuOn, unit: "%" },
    { name: "services' CPU, logs+tracing off (median)", value: cpuOff, unit: "%" },
    { name: "CPU overhead of logs+tracing (on / off)", value: cpuOn / cpuOff, unit: "x" },
    { name: "checkout p99, on (median)", value: p99On, unit: "ms" },
    { name: "checkout p99, off (median)", value: p99Off, unit: "ms" },
    { name: "checkout p99 overhead (on - off)", value: p99On - p99Off, unit: "ms" },
    {
      name: "services' CPU, logs+tracing on + spans exported to Jaeger (median)",
      value: cpuExport,
      unit: "%",
    },
    { name: "CPU overhead of the span export (export / on)", value: cpuExport / cpuOn, unit: "x" },
    { name: "checkout p99, export (median)", value: p99Export, unit: "ms" },
    { name: "checkout p99 overhead of the span export (export - on)", value: p99Export - p99On, unit: "ms" },
    {
      name: "log written at 200 rps, on (median)",
      value: med("on", (r) => r.logBytes / 2 ** 20 / windowS),
      unit: "MiB",
    },
  ];
  const perService = (mode: Mode) =>
    SERVICES.map((s) => `${s} ${median(of(mode).map((r) => r.perService[s] ?? 0)).toFixed(1)}%`).join(", ");
  return {
    id: "obs",
    title: `sandbox overhead of structured logs + traceparent propagation, and of exporting the spans to Jaeger, at ${RPS} rps`,
    commands: [
      `sandboxUp (offset ${APP_BENCH_OFFSET}) with SANDBOX_OBSERVE=on, off, and on with SANDBOX_OTLP_TRACES (a Jaeger on loopback, test/support/jaeger-server.ts), ${rounds} rounds each, in turn`,
      `GET /checkout open loop: warm-up 2 s at 50, 2 s at 100, 3 s at ${RPS} rps, then ${windowS} s measured at ${RPS} rps`,
    ],
    metrics,
    notes: [
      "CPU: utime+stime of the four service processes (gateway, orders, payments, risk) over the window, in % of one core; the load generator (this process) and Toxiproxy are not counted",
      `per service (median), on: ${perService("on")}; off: ${perService("off")}; export: ${perService("export")}`,
      `failed checkouts (5xx or no answer) per round: ${MODES.map(
        (m) =>
          `${m} ${of(m)
            .map((r) => r.load.failed)
            .join("/")}`,
      ).join(", ")} of ${Math.round(RPS * windowS)}`,
      `Jaeger received spans from ${exported} of the 4 services (checked); Jaeger's own CPU (not in the figures above, on the same two cores): export ${median(of("export").map((r) => r.jaegerCpuPct)).toFixed(1)}%, on ${median(of("on").map((r) => r.jaegerCpuPct)).toFixed(1)}% (median)`,
      "log MiB is per second of the window (all four services' JSON lines); the off rounds wrote none and answered no x-trace-id (checked)",
      `rounds with over 5% failed checkouts (the stack queued past its timeouts: the machine was busy): ${
        raw
          .filter((r) => r.load.failed > 0.05 * r.load.sent)
          .map((r) => `${r.mode} ${r.load.failed}/${r.load.sent} (p99 ${r.load.p99Ms.toFixed(0)} ms)`)
          .join(", ") || "none"
      }`,
      ...(raw.filter((r) => r.load.failed > 0.05 * r.load.sent).length > raw.length / 2
        ? [
            "MOST ROUNDS OVERLOADED: the machine (its load average, others' work) decided these figures, not logging or tracing; run again on a quieter machine",
          ]
        : []),
      "shared 2-core machine: the spread between rounds is the machine's; compare medians only",
    ],
    raw,
  };
}
