import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive } from "../../src/sandbox/process-control.js";
import {
  type SandboxEndpoints,
  sandboxDown,
  sandboxStatus,
  sandboxUp,
} from "../../src/sandbox/sandbox-stack.js";
import { prometheusBin, toxiproxyServerBin } from "../../src/sandbox/tools.js";
import { checkoutTimes, startCheckoutLoad } from "./checkout-load.js";

// Its own ports (every default + 600), so a sandbox someone runs on the defaults is left alone.
const PORT_OFFSET = 600;
const BREAKER = 'circuit_breaker_state{service="orders",dependency="payments"}';
const TOXIC = "sandbox-test-latency";

/** The services run from dist/: a stale build would test yesterday's code. */
function assertBuildIsFresh(): void {
  const root = join(import.meta.dirname, "..", "..");
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
    );
  for (const src of walk(join(root, "sandbox-services"))) {
    const out = join(root, "dist", src.slice(root.length + 1).replace(/\.ts$/, ".js"));
    let built = 0;
    try {
      built = statSync(out).mtimeMs;
    } catch {}
    if (built < statSync(src).mtimeMs)
      throw new Error(`${out} is missing or older than its source: run \`npx tsc -p .\` first`);
  }
}

async function promValue(prometheusUrl: string, promql: string): Promise<number | undefined> {
  const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { data: { result: Array<{ value: [number, string] }> } };
  const v = body.data.result[0]?.value[1];
  return v === undefined ? undefined : Number(v);
}

/** Polls a PromQL value until `ok`; returns the seconds it took, or throws with the last value. */
async function eventually(
  prometheusUrl: string,
  promql: string,
  ok: (v: number | undefined) => boolean,
  withinMs: number,
): Promise<number> {
  const start = Date.now();
  let last: number | undefined;
  while (Date.now() - start < withinMs) {
    last = await promValue(prometheusUrl, promql);
    if (ok(last)) return (Date.now() - start) / 1000;
    await sleep(250);
  }
  throw new Error(`${promql} was still ${last} after ${withinMs} ms`);
}

async function withLatencyToxic<T>(toxiproxyUrl: string, body: () => Promise<T>): Promise<T> {
  const res = await fetch(`${toxiproxyUrl}/proxies/payments/toxics`, {
    method: "POST",
    body: JSON.stringify({
      name: TOXIC,
      type: "latency",
      stream: "downstream",
      attributes: { latency: 800 },
    }),
  });
  expect(res.status, await res.text()).toBe(200);
  try {
    return await body();
  } finally {
    await fetch(`${toxiproxyUrl}/proxies/payments/toxics/${TOXIC}`, { method: "DELETE" });
  }
}

describe("sandbox stack (real Toxiproxy, Prometheus and services)", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "gameday-sandbox-"));
  const opts = { stateDir, portOffset: PORT_OFFSET };
  let ep: SandboxEndpoints;

  beforeAll(async () => {
    // Fail loudly, never skip, when a real component is missing.
    toxiproxyServerBin();
    prometheusBin();
    assertBuildIsFresh();
    ep = await sandboxUp(opts);
  });

  afterAll(async () => {
    try {
      const down = await sandboxDown(opts);
      for (const c of down.components)
        if (c.pid !== null) expect(isAlive(c.pid), `${c.name} pid ${c.pid}`).toBe(false);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it("serves checkout through the chain, and Prometheus scrapes the breaker gauge", async () => {
    expect(await checkoutTimes(ep.checkoutUrl, 20)).toEqual(Array(20).fill(200));
    await eventually(ep.prometheusUrl, `count(${BREAKER})`, (v) => v === 1, 5000);
    expect(await promValue(ep.prometheusUrl, BREAKER)).toBe(0);
    expect(
      await promValue(ep.prometheusUrl, 'count(circuit_breaker_state{service="payments",dependency="risk"})'),
    ).toBe(1);
    const status = await sandboxStatus(opts);
    expect(status.components.map((c) => [c.name, c.healthy, c.owned])).toEqual(
      ["toxiproxy", "gateway", "orders", "payments", "risk", "prometheus"].map((n) => [n, true, true]),
    );
    expect(status.proxies?.map((p) => p.name).sort()).toEqual(["orders", "payments", "risk"]);
  });

  it("is idempotent: a second up keeps every process", async () => {
    const before = (await sandboxStatus(opts)).components.map((c) => c.pid);
    await sandboxUp(opts);
    expect((await sandboxStatus(opts)).components.map((c) => c.pid)).toEqual(before);
  });

  it("opens orders' breaker when payments slows to 800 ms, keeps checkout at 200, and closes after", async () => {
    const load = startCheckoutLoad(ep.checkoutUrl, { maxMs: 40_000 });
    try {
      await withLatencyToxic(ep.toxiproxyUrl, async () => {
        const opened = await eventually(ep.prometheusUrl, BREAKER, (v) => v === 2, 10_000);
        console.log(`breaker open after ${opened.toFixed(1)} s`);
      });
      const closed = await eventually(ep.prometheusUrl, BREAKER, (v) => v === 0, 15_000);
      console.log(`breaker closed ${closed.toFixed(1)} s after the toxic was removed`);
    } finally {
      await load.stop();
    }
    console.log("statuses", load.statuses, "fallbacks", load.fallbacks);
    expect(Object.keys(load.statuses)).toEqual(["200"]);
    expect(load.fallbacks).toBeGreaterThan(0);
  });

  it("with the `breaker` switch, the gauge stays 0 under the same toxic", async () => {
    const restarted = await sandboxUp({ ...opts, breaks: ["breaker"] });
    expect(restarted.breaks).toEqual(["breaker"]);
    const load = startCheckoutLoad(ep.checkoutUrl, { maxMs: 20_000 });
    try {
      await withLatencyToxic(ep.toxiproxyUrl, async () => {
        await sleep(8000); // longer than it takes the real breaker to open
        expect(await promValue(ep.prometheusUrl, `max_over_time(${BREAKER}[8s])`)).toBe(0);
        // Every call went to payments: no short circuit at all.
        expect(
          await promValue(ep.prometheusUrl, 'sum(dependency_short_circuits_total{service="orders"})'),
        ).toBe(0);
        expect(
          await promValue(ep.prometheusUrl, 'sum(increase(dependency_timeouts_total{service="orders"}[5s]))'),
        ).toBeGreaterThan(0);
      });
    } finally {
      await load.stop();
    }
    expect(Object.keys(load.statuses)).toEqual(["200"]);
  });
});
