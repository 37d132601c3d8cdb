import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServiceConfig } from "../../sandbox-services/lib/service-config.js";
import { type SandboxEndpoints, sandboxDown, sandboxUp } from "../../src/sandbox/sandbox-stack.js";
import { type JaegerTrace, type RunningJaeger, startJaeger } from "../support/jaeger-server.js";

// Its own ports (every default + 700) and its own state dir: the services of this stack export
// their spans to a Jaeger the test starts, which no other sandbox does.
const PORT_OFFSET = 700;
const TOXIC = "sandbox-traces-test.down";
/** Past the longest a checkout's last span can end after its answer (payments' retries after orders gave up). */
const SETTLE_MS = 2500;

type Span = JaegerTrace["spans"][number];
const tag = (s: Span, key: string) => s.tags.find((t) => t.key === key)?.value;
const serverSpans = (t: JaegerTrace) => t.spans.filter((s) => tag(s, "span.kind") === "server");
const serviceOf = (t: JaegerTrace, s: Span) => t.processes[s.processID]?.serviceName;
const parentOf = (s: Span) => s.references?.find((r) => r.refType === "CHILD_OF")?.spanID;

/** The span ids the services logged for a trace: the ids a tracing backend must show. */
function loggedSpanIds(logDir: string, traceId: string): string[] {
  const ids = new Set<string>();
  for (const f of readdirSync(logDir).filter((n) => n.endsWith(".jsonl")))
    for (const line of readFileSync(join(logDir, f), "utf8").split("\n")) {
      if (!line.includes(traceId)) continue;
      let rec: { trace_id?: string; span_id?: string; event?: string };
      try {
        rec = JSON.parse(line);
      } catch {
        continue; // a line still being written
      }
      if (rec.trace_id === traceId && rec.span_id && (rec.event === "request" || rec.event === "attempt"))
        ids.add(rec.span_id);
    }
  return [...ids].sort();
}

/**
 * The trace once every span of it has ended (SETTLE_MS after its answer) and Jaeger holds exactly
 * the spans the services logged for it (they export in batches every 500 ms, each on its own clock).
 */
async function settledTrace(jaeger: RunningJaeger, logDir: string, id: string): Promise<JaegerTrace> {
  await sleep(SETTLE_MS);
  let held: string[] = [];
  let logged: string[] = [];
  for (let i = 0; i < 75; i++) {
    logged = loggedSpanIds(logDir, id);
    const t = await jaeger.trace(id);
    held = (t?.spans ?? []).map((s) => s.spanID).sort();
    if (t && logged.length > 0 && held.join() === logged.join()) return t;
    await sleep(200);
  }
  throw new Error(`trace ${id}: Jaeger holds [${held.join(", ")}], the logs name [${logged.join(", ")}]`);
}

/** A port that takes connections and never answers: an exporter that waited for it would stall. */
async function blackHole(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe("the sandbox's spans in a real tracing backend (Jaeger, built from the Go module proxy)", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "gameday-sandbox-traces-"));
  const logDir = join(stateDir, "logs");
  const opts = { stateDir, portOffset: PORT_OFFSET };
  let jaeger: RunningJaeger;
  let ep: SandboxEndpoints;
  /** The services restart when their environment differs (src/sandbox/sandbox-components.ts passes it on). */
  const upWithTraces = async (url: string) => {
    process.env.SANDBOX_OTLP_TRACES = url;
    try {
      return await sandboxUp(opts);
    } finally {
      delete process.env.SANDBOX_OTLP_TRACES;
    }
  };
  const checkout = async () => {
    const res = await fetch(ep.checkoutUrl);
    await res.arrayBuffer();
    return { status: res.status, id: res.headers.get("x-trace-id") ?? "" };
  };

  beforeAll(async () => {
    jaeger = await startJaeger();
    ep = await upWithTraces(jaeger.otlpTracesUrl);
  }, 180_000);

  afterAll(async () => {
    try {
      await sandboxDown(opts);
      await jaeger?.stop();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 60_000);

  it("one checkout is one trace: a server span per service, each the child of its caller's attempt, with the logs' ids", async () => {
    // A clean checkout (no retry, no fallback: 4 requests and 3 attempts); on a loaded machine an
    // attempt can time out, which makes a different, equally valid trace: take the next checkout.
    let t: JaegerTrace | undefined;
    let id = "";
    const seen: string[] = [];
    for (let i = 0; i < 5 && !t; i++) {
      const r = await checkout();
      expect(r.status).toBe(200);
      expect(r.id).toMatch(/^[0-9a-f]{32}$/);
      const got = await settledTrace(jaeger, logDir, r.id);
      seen.push(
        `${got.spans.length} spans, ${got.spans.filter((s) => tag(s, "error") === true).length} failed`,
      );
      if (got.spans.length === 7 && got.spans.every((s) => tag(s, "error") !== true)) [t, id] = [got, r.id];
    }
    expect(t, `no clean checkout in 5: ${seen.join("; ")}`).toBeDefined();
    if (!t) return;
    const servers = serverSpans(t);
    expect(servers.map((s) => serviceOf(t, s)).sort()).toEqual(["gateway", "orders", "payments", "risk"]);
    const byId = new Map(t.spans.map((s) => [s.spanID, s]));
    const gateway = servers.find((s) => serviceOf(t, s) === "gateway");
    expect(gateway && parentOf(gateway)).toBeUndefined(); // the client sent no traceparent: a new trace
    const callerOf: Record<string, string> = { orders: "gateway", payments: "orders", risk: "payments" };
    for (const s of servers.filter((x) => x !== gateway)) {
      const attempt = byId.get(parentOf(s) ?? "");
      expect(attempt && tag(attempt, "span.kind")).toBe("client");
      expect(attempt && serviceOf(t, attempt)).toBe(callerOf[serviceOf(t, s) ?? ""]);
      expect(attempt && tag(attempt, "peer.service")).toBe(serviceOf(t, s));
    }
    // The same ids as the log lines (settledTrace waited for exactly those): a responder can go
    // from a log line to the backend and back.
    expect(t.spans.map((s) => s.spanID).sort()).toEqual(loggedSpanIds(logDir, id));
    expect(new Set(await jaeger.services())).toEqual(new Set(["gateway", "orders", "payments", "risk"]));
  });

  it("a failing dependency shows as failed attempts, each retry its own span, marked as an error", async () => {
    // Every call to risk loses its answer: payments retries (3 retries), gives up, orders falls back.
    const add = await fetch(`${ep.toxiproxyUrl}/proxies/risk/toxics`, {
      method: "POST",
      body: JSON.stringify({ name: TOXIC, type: "timeout", stream: "upstream", attributes: { timeout: 1 } }),
    });
    expect(add.status).toBe(200);
    let r: { status: number; id: string };
    try {
      r = await checkout();
    } finally {
      await fetch(`${ep.toxiproxyUrl}/proxies/risk/toxics/${TOXIC}`, { method: "DELETE" });
    }
    expect(r.status).toBe(200); // orders' fallback answered
    const t = await settledTrace(jaeger, logDir, r.id);
    const toRisk = t.spans.filter((s) => tag(s, "peer.service") === "risk");
    expect(toRisk.length).toBeGreaterThanOrEqual(2); // the first attempt and at least one retry
    for (const s of toRisk) expect(tag(s, "error")).toBe(true);
    expect(toRisk.map((s) => tag(s, "attempt")).sort()).toEqual(
      Array.from({ length: toRisk.length }, (_, i) => i + 1),
    );
    // Toxiproxy lets the request through and drops the answer (ECONNRESET): risk's own spans are
    // there, each under one of payments' failed attempts, and orders' call to payments failed too.
    const failedIds = new Set(toRisk.map((s) => s.spanID));
    for (const s of serverSpans(t).filter((x) => serviceOf(t, x) === "risk"))
      expect(failedIds.has(parentOf(s) ?? "")).toBe(true);
    const toPayments = t.spans.filter((s) => tag(s, "peer.service") === "payments");
    expect(toPayments.map((s) => tag(s, "error"))).toEqual([true]);
  });

  it("a backend that takes connections and never answers costs the checkouts nothing", async () => {
    const timed = async () => {
      const t0 = performance.now();
      for (let i = 0; i < 20; i++) expect((await checkout()).status).toBe(200);
      return performance.now() - t0;
    };
    const withJaeger = await timed();
    const hole = await blackHole();
    try {
      ep = await upWithTraces(hole.url); // restarts the services: their traces URL changed
      await timed(); // past the restart's cold start
      const hung = await timed();
      // A bound, not a speed claim: an export on the request path would add its 2 s timeout to
      // each of the 20 checkouts (40 s).
      expect(
        hung,
        `20 checkouts: ${withJaeger.toFixed(0)} ms exporting to Jaeger, ${hung.toFixed(0)} ms to a backend that never answers`,
      ).toBeLessThan(withJaeger + 10_000);
    } finally {
      await hole.close();
    }
  }, 120_000);

  it("refuses a traces endpoint off this machine: the spans could leave it", () => {
    expect(() =>
      loadServiceConfig("gateway", { SANDBOX_OTLP_TRACES: "http://10.1.2.3:4318/v1/traces" }),
    ).toThrow(/traces/);
    expect(
      loadServiceConfig("gateway", { SANDBOX_OTLP_TRACES: "http://127.0.0.1:4318/v1/traces" }).traces,
    ).toBe("http://127.0.0.1:4318/v1/traces");
  });
});
