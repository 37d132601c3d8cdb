import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type AppService, startAppService } from "../support/app-service.js";
import { CLI, runCli } from "../support/cli.js";
import { waitForInjected } from "../support/journal-wait.js";
import { scratchFiles } from "../support/scratch-files.js";

/** The sum of a metric's samples whose labels include `labels` (Prometheus text format). */
async function metric(svc: AppService, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${svc.url}/metrics`)).text();
  let sum = 0;
  let seen = false;
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    if (!Object.entries(labels).every(([k, v]) => (m[2] ?? "").includes(`${k}="${v}"`))) continue;
    sum += Number(m[3]);
    seen = true;
  }
  if (!seen) throw new Error(`no ${name} ${JSON.stringify(labels)} on ${svc.url}/metrics`);
  return sum;
}

/** `count` GETs of risk's /score, `concurrency` at a time; bounded in count and time. */
async function load(svc: AppService, count: number, concurrency = 10): Promise<number[]> {
  const statuses: number[] = [];
  let left = count;
  const worker = async () => {
    while (left-- > 0)
      statuses.push(
        await fetch(`${svc.url}/score`, { signal: AbortSignal.timeout(5000) }).then(
          async (r) => {
            await r.arrayBuffer();
            return r.status;
          },
          () => 0,
        ),
      );
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}

async function control(
  svc: AppService,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = svc.token,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${svc.controlUrl}${path}`, {
    method,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const apply = (svc: AppService, id: string, kind: string, params: Record<string, unknown>) =>
  control(svc, "PUT", `/faults/${id}`, { kind, owner: `gameday@test.run-1.${id}`, params });
const revert = (svc: AppService, id: string) => control(svc, "DELETE", `/faults/${id}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Listening sockets on 127.0.0.1:port in /proc/net/tcp{,6}; a wildcard bind would show 00000000. */
function listenAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  return ["/proc/net/tcp", "/proc/net/tcp6"].flatMap((f) =>
    readFileSync(f, "utf8")
      .split("\n")
      .slice(1)
      .map((l) => l.trim().split(/\s+/))
      .filter((c) => c[1]?.endsWith(`:${hexPort}`) && c[3] === "0A")
      .map((c) => (c[1] as string).split(":")[0] as string),
  );
}

describe("app faults in a real risk service (control endpoint, metrics, exact revert)", () => {
  let risk: AppService;
  beforeAll(async () => {
    risk = await startAppService("risk");
    await load(risk, 400); // warm the cache: 200 customers
  });
  // A failed test must not leave its fault to fail the next ones: each starts with none applied.
  afterEach(async () => {
    for (const f of (await risk.faults()).faults) await revert(risk, f.id);
  });
  afterAll(() => risk?.stop());

  it("refuses a missing or wrong token and bad bodies, and listens on 127.0.0.1 only", async () => {
    expect((await control(risk, "GET", "/faults", undefined, null)).status).toBe(401);
    expect((await control(risk, "GET", "/faults", undefined, `${risk.token}x`)).status).toBe(401);
    const bad = await control(risk, "PUT", "/faults/f1", {
      kind: "pool-shrink",
      owner: "o",
      params: { size: 0 },
    });
    expect(bad.status).toBe(400);
    expect(String(bad.json.error)).toMatch(/params\.size/);
    expect((await control(risk, "PUT", "/faults/f1", "{not json")).status).toBe(400);
    expect((await control(risk, "PUT", "/faults/f1", "x".repeat(20_000))).status).toBe(413);
    expect((await control(risk, "PUT", "/faults/a%2Fb", {})).status).toBe(400);
    expect((await revert(risk, "never-applied")).status).toBe(404);
    const port = Number(new URL(risk.controlUrl).port);
    expect(listenAddresses(port)).toEqual(["0100007F"]);
    // Another loopback address of this machine: nothing listens there.
    await expect(fetch(`http://127.0.0.2:${port}/faults`)).rejects.toThrow();
    // The token is never written to the service's log.
    expect(readFileSync(join(risk.logDir, "risk.jsonl"), "utf8")).not.toContain(risk.token);
  });

  it("apply is idempotent per id, one fault per kind, and GET shows the truth", async () => {
    expect((await apply(risk, "idem", "cache-hit-ratio", { missRatio: 0.5 })).status).toBe(201);
    expect((await apply(risk, "idem", "cache-hit-ratio", { missRatio: 0.5 })).status).toBe(200);
    expect((await apply(risk, "idem", "cache-hit-ratio", { missRatio: 0.6 })).status).toBe(409);
    expect((await apply(risk, "other", "cache-hit-ratio", { missRatio: 0.6 })).status).toBe(409);
    const list = await risk.faults();
    expect(list.faults.map((f) => f.id)).toEqual(["idem"]);
    expect(list.state.missRatio).toBe(0.5);
    expect((await revert(risk, "idem")).status).toBe(200);
    expect((await risk.faults()).state.missRatio).toBe(0);
  });

  it("cache-hit-ratio: misses go to the database, the hit ratio gauge drops; revert restores it", async () => {
    const warmHits = await metric(risk, "cache_requests_total", { result: "hit" });
    await load(risk, 200);
    // The warm-up drew 400 random customers of 200, so about 87% of them are cached (not all):
    // a healthy cache answers most of the next 200, with room for the draw's spread.
    expect((await metric(risk, "cache_requests_total", { result: "hit" })) - warmHits).toBeGreaterThan(140);
    const before = {
      ratio: await metric(risk, "cache_hit_ratio"),
      misses: await metric(risk, "cache_requests_total", { result: "miss" }),
      queries: await metric(risk, "db_query_duration_seconds_count"),
    };
    expect(before.ratio).toBeGreaterThan(0.5);
    const hitsBefore = await metric(risk, "cache_requests_total", { result: "hit" });
    await apply(risk, "cache", "cache-hit-ratio", { missRatio: 0.9 });
    try {
      await load(risk, 200);
      const misses = (await metric(risk, "cache_requests_total", { result: "miss" })) - before.misses;
      const hits = (await metric(risk, "cache_requests_total", { result: "hit" })) - hitsBefore;
      expect(misses).toBeGreaterThan(150);
      expect((await metric(risk, "db_query_duration_seconds_count")) - before.queries).toBe(misses);
      // The gauge trails 10 s and so mixes in the warm-up's hits however fast the machine is:
      // the fault's own share comes from the counters, the gauge need only have dropped.
      expect(hits / (hits + misses)).toBeLessThan(0.2);
      expect(await metric(risk, "cache_hit_ratio")).toBeLessThan(before.ratio - 0.05);
    } finally {
      await revert(risk, "cache");
    }
    const after = await metric(risk, "cache_requests_total", { result: "miss" });
    await load(risk, 200);
    expect((await metric(risk, "cache_requests_total", { result: "miss" })) - after).toBeLessThan(40);
  });

  it("db-latency and pool-shrink: queries slow down, the pool waits; revert restores the exact size", async () => {
    await apply(risk, "allmiss", "cache-hit-ratio", { missRatio: 1 });
    const q0 = {
      sum: await metric(risk, "db_query_duration_seconds_sum"),
      count: await metric(risk, "db_query_duration_seconds_count"),
      wait: await metric(risk, "db_pool_wait_seconds_sum"),
    };
    expect((await apply(risk, "slowdb", "db-latency", { addMs: 40 })).status).toBe(201);
    const shrink = await apply(risk, "shrink", "pool-shrink", { size: 2 });
    expect(shrink.status).toBe(201);
    expect((shrink.json.fault as { prior: number }).prior).toBe(10);
    expect(await metric(risk, "db_pool_size")).toBe(2);
    expect((await load(risk, 60, 10)).every((s) => s === 200)).toBe(true);
    const meanQueryMs =
      (((await metric(risk, "db_query_duration_seconds_sum")) - q0.sum) * 1000) /
      ((await metric(risk, "db_query_duration_seconds_count")) - q0.count);
    expect(meanQueryMs).toBeGreaterThanOrEqual(40);
    // 10 callers, 2 connections, 40 ms each: most callers wait for a connection.
    expect((await metric(risk, "db_pool_wait_seconds_sum")) - q0.wait).toBeGreaterThan(0.5);
    for (const id of ["shrink", "slowdb", "allmiss"]) expect((await revert(risk, id)).status).toBe(200);
    const state = (await risk.faults()).state;
    expect(state).toMatchObject({ poolSize: 10, dbExtraMs: 0, missRatio: 0 });
    expect(await metric(risk, "db_pool_size")).toBe(10);
  });

  it("pool-shrink times callers out when the pool stays full (503 from risk)", async () => {
    await apply(risk, "allmiss2", "cache-hit-ratio", { missRatio: 1 });
    await apply(risk, "veryslow", "db-latency", { addMs: 1500 });
    await apply(risk, "one", "pool-shrink", { size: 1 });
    const t0 = await metric(risk, "db_pool_acquire_timeouts_total");
    const statuses = await load(risk, 3, 3);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(1);
    expect((await metric(risk, "db_pool_acquire_timeouts_total")) - t0).toBeGreaterThanOrEqual(1);
    for (const id of ["one", "veryslow", "allmiss2"]) await revert(risk, id);
  });

  it("memory-leak retains heap at its rate up to its cap; revert releases it", async () => {
    const heap0 = await metric(risk, "nodejs_heap_size_used_bytes");
    await apply(risk, "leak", "memory-leak", { mibPerSecond: 40, capMib: 48 });
    await sleep(2000);
    expect(await metric(risk, "app_fault_retained_bytes")).toBe(48 * 1024 * 1024);
    expect((await metric(risk, "nodejs_heap_size_used_bytes")) - heap0).toBeGreaterThan(40 * 1024 * 1024);
    await revert(risk, "leak");
    expect(await metric(risk, "app_fault_retained_bytes")).toBe(0);
  });

  it("connection-leak holds pool connections until revert", async () => {
    expect(await metric(risk, "db_pool_connections_in_use")).toBe(0);
    await apply(risk, "connleak", "connection-leak", { perSecond: 20, max: 6 });
    await sleep(800);
    expect(await metric(risk, "db_pool_connections_in_use")).toBe(6);
    expect(await metric(risk, "db_pool_connections_leaked")).toBe(6);
    expect((await risk.faults()).state.leakedConnections).toBe(6);
    await revert(risk, "connleak");
    expect(await metric(risk, "db_pool_connections_in_use")).toBe(0);
    expect((await risk.faults()).state.leakedConnections).toBe(0);
  });

  it("config-drift changes the value as a bad deploy would, and revert restores the exact prior value", async () => {
    await load(risk, 300); // warm again
    expect(await metric(risk, "app_config_value", { key: "cacheTtlMs" })).toBe(1_800_000);
    const drift = await apply(risk, "ttl", "config-drift", { key: "cacheTtlMs", value: 1 });
    expect((drift.json.fault as { prior: number }).prior).toBe(1_800_000);
    expect(await metric(risk, "app_config_value", { key: "cacheTtlMs" })).toBe(1);
    expect(((await risk.faults()).state.config as Record<string, number>).cacheTtlMs).toBe(1);
    const hits0 = await metric(risk, "cache_requests_total", { result: "hit" });
    await load(risk, 100);
    // A 1 ms TTL: nothing stays cached between two requests of the same customer.
    expect((await metric(risk, "cache_requests_total", { result: "hit" })) - hits0).toBeLessThan(10);
    await revert(risk, "ttl");
    expect(await metric(risk, "app_config_value", { key: "cacheTtlMs" })).toBe(1_800_000);
    expect((await risk.faults()).faults).toEqual([]);
  });
});

describe("a run killed mid app fault is recovered without its journal", () => {
  let risk: AppService;
  beforeAll(async () => {
    risk = await startAppService("risk");
  });
  afterAll(() => risk?.stop());

  it("kill -9 of the runner, then gameday recover reverts the fault and restores the pool", async () => {
    const ws = scratchFiles("app-recover");
    const stateDir = join(ws.dir, "state");
    const targets = ws.write(
      "targets.yaml",
      `apiVersion: gameday/v1
kind: Targets
targets:
  svc:
    vars: { RISK_URL: "${risk.url}" }
    app:
      services:
        risk: { control: "${risk.controlUrl}", token: { file: "${risk.tokenFile}" } }
`,
    );
    const file = ws.write(
      "shrink.yaml",
      `apiVersion: gameday/v1
kind: Experiment
metadata: { name: app-killed }
spec:
  target: svc
  load: { url: "\${RISK_URL}/score", rate: 10, timeout: 2s }
  faults:
    - { name: shrink, for: 60s, app: { service: risk, action: pool-shrink, size: 2 } }
  recovery: { within: 5s }
`,
    );
    const child = spawn(process.execPath, [CLI, "run", file, "--targets", targets, "--state-dir", stateDir], {
      stdio: "ignore",
    });
    try {
      await waitForInjected(stateDir);
      child.kill("SIGKILL");
      await new Promise((r) => child.once("close", r));
      const left = await risk.faults();
      expect(left.faults.length).toBe(1);
      expect(left.state.poolSize).toBe(2);
      rmSync(join(stateDir, "runs"), { recursive: true, force: true }); // no journal to go by
      const res = await runCli(["recover", "--targets", targets]);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/reverted gameday@[a-z0-9-]+\.\S+\.shrink/);
      expect(res.stdout + res.stderr).not.toContain(risk.token);
      const after = await risk.faults();
      expect(after.faults).toEqual([]);
      expect(after.state.poolSize).toBe(10);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});

describe("structured logs carry one trace across gateway -> orders -> payments -> risk", () => {
  const chain: AppService[] = [];
  beforeAll(async () => {
    // Each service calls the next one directly (no Toxiproxy): the trace is the services' own work.
    const risk = await startAppService("risk");
    const payments = await startAppService("payments", { SANDBOX_PAYMENTS_DEPENDENCY_URL: risk.url });
    const orders = await startAppService("orders", { SANDBOX_ORDERS_DEPENDENCY_URL: payments.url });
    const gateway = await startAppService("gateway", { SANDBOX_GATEWAY_DEPENDENCY_URL: orders.url });
    chain.push(gateway, orders, payments, risk);
  });
  afterAll(async () => {
    for (const s of chain) await s.stop();
  });

  type Line = Record<string, unknown>;
  const linesOf = (svc: AppService, name: string, traceId: string): Line[] => {
    try {
      return readFileSync(join(svc.logDir, `${name}.jsonl`), "utf8")
        .split("\n")
        .filter((l) => l.includes(traceId))
        .map((l) => JSON.parse(l) as Line);
    } catch {
      return [];
    }
  };
  const NAMES = ["gateway", "orders", "payments", "risk"];

  async function traceOf(traceId: string): Promise<Line[][]> {
    const deadline = Date.now() + 5000; // the logs are written asynchronously
    for (;;) {
      const lines = chain.map((s, i) => linesOf(s, NAMES[i] as string, traceId));
      if (lines.every((l) => l.some((x) => x.event === "request")) || Date.now() > deadline) return lines;
      await sleep(100);
    }
  }

  it("the gateway starts a trace; every hop logs its request and attempts under it, parent to child", async () => {
    const res = await fetch(`${chain[0]?.url}/checkout`);
    expect(res.status).toBe(200);
    const traceId = res.headers.get("x-trace-id") ?? "";
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const [gw, ord, pay, rsk] = (await traceOf(traceId)) as [Line[], Line[], Line[], Line[]];
    const req = (l: Line[]) => l.find((x) => x.event === "request") as Line;
    const att = (l: Line[]) => l.find((x) => x.event === "attempt") as Line;
    for (const [i, l] of [gw, ord, pay, rsk].entries()) {
      expect(req(l), NAMES[i]).toMatchObject({
        service: NAMES[i],
        outcome: "ok",
        status: 200,
        trace_id: traceId,
      });
      expect(typeof req(l).duration_ms).toBe("number");
    }
    expect(req(gw).parent_span_id).toBeUndefined();
    // Each attempt's span is the next hop's parent.
    expect(att(gw)).toMatchObject({
      dependency: "orders",
      attempt: 1,
      outcome: "success",
      parent_span_id: req(gw).span_id,
    });
    expect(req(ord).parent_span_id).toBe(att(gw).span_id);
    expect(req(pay).parent_span_id).toBe(att(ord).span_id);
    expect(req(rsk).parent_span_id).toBe(att(pay).span_id);
    expect(req(rsk)).toMatchObject({ dependency: "risk-db", cache: "miss" });
  });

  it("a caller's traceparent is continued, a malformed one replaced", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const res = await fetch(`${chain[0]?.url}/checkout`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(res.headers.get("x-trace-id")).toBe(traceId);
    const lines = await traceOf(traceId);
    expect(lines.map((l) => l.some((x) => x.event === "request"))).toEqual([true, true, true, true]);
    expect(lines[0]?.find((x) => x.event === "request")?.parent_span_id).toBe("00f067aa0ba902b7");
    const bad = await fetch(`${chain[0]?.url}/checkout`, {
      headers: { traceparent: `00-${"0".repeat(32)}-00f067aa0ba902b7-01` },
    });
    expect(bad.headers.get("x-trace-id")).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
  });

  it("a retry, its reason and the final failure are logged (risk answering 503 from its pool)", async () => {
    const risk = chain[3] as AppService;
    await apply(risk, "m", "cache-hit-ratio", { missRatio: 1 });
    await apply(risk, "s", "db-latency", { addMs: 2000 });
    await apply(risk, "p", "pool-shrink", { size: 1 });
    try {
      const res = await fetch(`${chain[2]?.url}/charge`);
      expect(res.status).toBe(503);
      const traceId = res.headers.get("x-trace-id") ?? "";
      let pay: Line[] = [];
      for (let i = 0; i < 50 && !pay.some((l) => l.event === "request"); i++) {
        await sleep(100); // the logs are written asynchronously
        pay = linesOf(chain[2] as AppService, "payments", traceId);
      }
      expect(pay.filter((l) => l.event === "attempt").map((l) => l.reason)).toContain("timeout");
      expect(pay.some((l) => l.event === "retry" && l.reason === "retry" && l.cause === "timeout")).toBe(
        true,
      );
      expect(pay.find((l) => l.event === "request")).toMatchObject({ status: 503, reason: "timeout" });
    } finally {
      for (const id of ["p", "s", "m"]) await revert(risk, id);
    }
  });
});
