import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ServiceName } from "../../sandbox-services/lib/topology.js";
import { type SandboxEndpoints, sandboxDown, sandboxUp } from "../../src/sandbox/sandbox-stack.js";
import type { BenchContext } from "./context.js";
import { percentile } from "./stats.js";

/**
 * The bench's own process sandbox for the sections that need the real services (obs, alert): its
 * own state dir in the workspace and its own ports (offset 600, `GAMEDAY_BENCH_SANDBOX_APP_OFFSET`),
 * never the shared stack's or prove's (500).
 */
export const APP_BENCH_OFFSET = Number(process.env.GAMEDAY_BENCH_SANDBOX_APP_OFFSET ?? 600);
export const SERVICES: ServiceName[] = ["gateway", "orders", "payments", "risk"];

export function benchSandboxDir(ctx: BenchContext): string {
  return join(ctx.ws.dir, "app-sandbox");
}

export async function benchSandboxUp(ctx: BenchContext): Promise<SandboxEndpoints> {
  return sandboxUp({ stateDir: benchSandboxDir(ctx), portOffset: APP_BENCH_OFFSET, breaks: [] });
}

export async function benchSandboxDown(ctx: BenchContext): Promise<void> {
  await sandboxDown({ stateDir: benchSandboxDir(ctx) }).catch(() => undefined);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers that carried x-trace-id (0 when tracing is off). */
  traced: number;
}

/**
 * An open-loop load of GETs at `rps` for `seconds` (each request on its own timer, so a slow
 * answer never lowers the rate), bounded by the duration (or `stop`) and a 3 s timeout per request.
 */
export async function openLoop(
  url: string,
  rps: number,
  seconds: number,
  stop?: AbortSignal,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failed = 0;
  let traced = 0;
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  const total = Math.round(rps * seconds);
  let sent = 0;
  for (let i = 0; i < total && !stop?.aborted; i++, sent++) {
    const due = t0 + (i * 1000) / rps;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const start = performance.now();
    pending.push(
      fetch(url, { signal: AbortSignal.timeout(3000) })
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.headers.has("x-trace-id")) traced++;
          if (res.status >= 500) failed++;
          latencies.push(performance.now() - start);
        })
        .catch(() => {
          failed++;
        }),
    );
  }
  await Promise.all(pending);
  return {
    sent,
    ok: latencies.length - failed,
    failed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    traced,
  };
}

/** utime + stime of a process in seconds, from /proc/<pid>/stat (clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export async function servicePids(ep: SandboxEndpoints): Promise<Record<ServiceName, number>> {
  const out = {} as Record<ServiceName, number>;
  for (const s of SERVICES) {
    const health = (await (await fetch(`${ep.serviceUrls[s]}/health`)).json()) as { pid: number };
    out[s] = health.pid;
  }
  return out;
}
