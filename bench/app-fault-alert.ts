import { readFileSync } from "node:fs";
import {
  APP_BENCH_OFFSET,
  benchSandboxDown,
  benchSandboxUp,
  openLoop,
  sleep,
} from "./support/bench-sandbox.js";
import type { BenchContext } from "./support/context.js";
import type { Section } from "./support/report.js";
import { median } from "./support/stats.js";

/** The faults of drills/risk-cache-chain.yaml, as the control endpoint takes them. */
const CHAIN = [
  { name: "cold-cache", kind: "cache-hit-ratio", params: { missRatio: 1 } },
  { name: "slow-queries", kind: "db-latency", params: { addMs: 120, jitterMs: 0 } },
  { name: "small-pool", kind: "pool-shrink", params: { size: 2 } },
];
const RPS = 40;

interface Alert {
  labels: { alertname: string };
  state: string;
  activeAt: string;
}

async function alerts(prometheusUrl: string): Promise<Alert[]> {
  const res = await fetch(`${prometheusUrl}/api/v1/alerts`, { signal: AbortSignal.timeout(2000) });
  return ((await res.json()) as { data: { alerts: Alert[] } }).data.alerts;
}

/** Alerts firing that became active (pending) at or after `sinceMs`: caused after that moment. */
async function firingSince(prometheusUrl: string, sinceMs: number): Promise<string[]> {
  return (await alerts(prometheusUrl))
    .filter((a) => a.state === "firing" && Date.parse(a.activeAt) >= sinceMs)
    .map((a) => a.labels.alertname);
}

/** Bounded: polls until no alert is firing or pending (the previous round's resolved) or throws. */
async function quiet(prometheusUrl: string, ms: number): Promise<void> {
  let left: Alert[] = [];
  for (const until = Date.now() + ms; Date.now() < until; await sleep(500)) {
    left = await alerts(prometheusUrl);
    if (left.length === 0) return;
  }
  throw new Error(
    `alerts still active after ${ms / 1000} s: ${left.map((a) => `${a.labels.alertname} (${a.state})`).join(", ")}`,
  );
}

/**
 * Section "alert": from an app-level fault's injection to the first alert of the sandbox's rules
 * firing in Prometheus. Under a 40 rps checkout load on the bench's own sandbox, the faults of
 * drills/risk-cache-chain.yaml (risk's cache hit ratio to 0, its queries 120 ms slower, its pool
 * to 2) are applied through risk's control endpoint; /api/v1/alerts is polled every 100 ms until
 * an alert is firing. Reverted (and checked gone) after every round; the next waits until nothing fires.
 */
export async function benchAppFaultAlert(ctx: BenchContext): Promise<Section> {
  const rounds = ctx.quick ? 3 : 5;
  const raw: { ms: number; alert: string; firing: string[] }[] = [];
  try {
    const ep = await benchSandboxUp(ctx);
    const token = readFileSync(ep.controlTokenFile, "utf8").trim();
    const control = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${ep.controlUrls.risk}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(3000),
      });
      if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as { faults?: unknown[] };
    };
    // The load runs through every round, bounded by its duration and stopped after the last one.
    const stopLoad = new AbortController();
    const load = openLoop(ep.checkoutUrl, RPS, rounds * 90, stopLoad.signal);
    try {
      await sleep(5000);
      for (let i = 0; i < rounds; i++) {
        await quiet(ep.prometheusUrl, 60_000);
        await sleep(2000); // a few healthy evaluations between rounds
        ctx.log(`alert: round ${i + 1}/${rounds}`);
        const ids = CHAIN.map((f) => `gameday-bench.alert.${i}.${f.name}`);
        const t0 = performance.now();
        const t0Wall = Date.now();
        try {
          for (const [j, f] of CHAIN.entries())
            await control("PUT", `/faults/${ids[j]}`, { kind: f.kind, owner: ids[j], params: f.params });
          let seen: string[] = [];
          for (const until = Date.now() + 60_000; Date.now() < until; await sleep(100)) {
            seen = await firingSince(ep.prometheusUrl, t0Wall);
            if (seen.length > 0) break;
          }
          if (seen.length === 0) throw new Error("no alert fired within 60 s of the injection");
          raw.push({ ms: performance.now() - t0, alert: seen[0] ?? "", firing: seen });
        } finally {
          for (const id of ids) await control("DELETE", `/faults/${id}`).catch(() => undefined);
        }
        const left = await control("GET", "/faults");
        if ((left.faults ?? []).length > 0)
          throw new Error(`app faults left in risk: ${JSON.stringify(left.faults)}`);
      }
    } finally {
      stopLoad.abort();
      await load;
    }
  } finally {
    await benchSandboxDown(ctx);
  }
  const counts = new Map<string, number>();
  for (const r of raw) counts.set(r.alert, (counts.get(r.alert) ?? 0) + 1);
  return {
    id: "alert",
    title: "app fault (risk's cache hit ratio drop, the cache chain) -> first alert firing in Prometheus",
    commands: [
      `sandboxUp (offset ${APP_BENCH_OFFSET}); GET /checkout at ${RPS} rps`,
      `PUT risk's control /faults/<id>: ${CHAIN.map((f) => `${f.kind} ${JSON.stringify(f.params)}`).join(", ")}; poll /api/v1/alerts every 100 ms; ${rounds} rounds`,
    ],
    metrics: [
      { name: "injection -> first alert firing (median)", value: median(raw.map((r) => r.ms)), unit: "ms" },
      { name: "fastest round", value: Math.min(...raw.map((r) => r.ms)), unit: "ms" },
      { name: "slowest round", value: Math.max(...raw.map((r) => r.ms)), unit: "ms" },
    ],
    notes: [
      `first alert per round: ${[...counts].map(([a, n]) => `${a} x${n}`).join(", ")}`,
      "bounded by Prometheus' 1 s scrape and 1 s rule evaluation and the rules' `for:` (1-2 s), on top of the chain's own time to build up (pool queue, payments' timeouts, retries)",
      "t0 is just before the first PUT (the three faults go in one after the other, a few ms apart); each round starts with no alert firing or pending, and counts only an alert that became active after t0 (its activeAt), so a blip of the busy machine just before is not taken for the fault's",
    ],
    raw,
  };
}
