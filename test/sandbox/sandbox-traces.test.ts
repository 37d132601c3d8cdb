import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
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

/** The trace once Jaeger holds `n` server spans of it (the services batch their exports every 500 ms). */
async function traceWith(jaeger: RunningJaeger, id: string, n: number): Promise<JaegerTrace> {
  let last: JaegerTrace | undefined;
  for (let i = 0; i < 100; i++) {
    last = await jaeger.trace(id);
    if (last && serverSpans(last).length >= n) return last;
    await sleep(200);
  }
  throw new Error(`trace ${id} in Jaeger: ${JSON.stringify(last?.spans.map((s) => s.operationName))}`);
}

const tag = (s: JaegerTrace["spans"][number], key: string) => s.tags.find((t) => t.key === key)?.value;
const serverSpans = (t: JaegerTrace) => t.spans.filter((s) => tag(s, "span.kind") === "server");
const serviceOf = (t: JaegerTrace, s: JaegerTrace["spans"][number]) => t.processes[s.processID]?.serviceName;
const parentOf = (s: JaegerTrace["spans"][number]) =>
  s.references?.find((r) => r.refType === "CHILD_OF")?.spanID;

/** The span ids the services logged for a trace: the ids a tracing backend must show. */
function loggedSpanIds(logDir: string, traceId: string): Set<string> {
  const ids = new Set<string>();
  for (const f of readdirSync(logDir).filter((n) => n.endsWith(".jsonl")))
    for (const line of readFileSync(join(logDir, f), "utf8").split("\n")) {
      if (!line.includes(traceId)) continue;
      const rec = JSON.parse(line) as { trace_id?: string; span_id?: string; event?: string };
      if (rec.trace_id === traceId && rec.span_id && (rec.event === "request" || rec.event === "attempt"))
        ids.add(rec.span_id);
    }
  return ids;
}

describe("the sandbox's spans in a real tracing backend (Jaeger, built from the Go module proxy)", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "gameday-sandbox-traces-"));
  const opts = { stateDir, portOffset: PORT_OFFSET };
  let jaeger: RunningJaeger;
  let ep: SandboxEndpoints;

  beforeAll(async () => {
    jaeger = await startJaeger();
    // The launcher hands its environment to the services (src/sandbox/sandbox-components.ts).
    process.env.SANDBOX_OTLP_TRACES = jaeger.otlpTracesUrl;
    try {
      ep = await sandboxUp(opts);
    } finally {
      delete process.env.SANDBOX_OTLP_TRACES;
    }
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
    const res = await fetch(ep.checkoutUrl);
    expect(res.status).toBe(200);
    const id = res.headers.get("x-trace-id") ?? "";
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const t = await traceWith(jaeger, id, 4);
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
    // The same ids as the log lines: a responder can go from a log line to the backend and back.
    const logged = loggedSpanIds(join(stateDir, "logs"), id);
    expect([...logged].sort()).toEqual(t.spans.map((s) => s.spanID).sort());
    expect(new Set(await jaeger.services())).toEqual(new Set(["gateway", "orders", "payments", "risk"]));
  });

  it("a failing dependency shows as failed attempts, each retry its own span, marked as an error", async () => {
    // Every call to risk loses its answer: payments retries (3 retries), gives up, orders falls back.
    const add = await fetch(`${ep.toxiproxyUrl}/proxies/risk/toxics`, {
      method: "POST",
      body: JSON.stringify({
        name: TOXIC,
        type: "timeout",
        stream: "downstream",
        attributes: { timeout: 1 },
      }),
    });
    expect(add.status).toBe(200);
    let id = "";
    try {
      const res = await fetch(ep.checkoutUrl);
      expect(res.status).toBe(200); // orders' fallback answered
      id = res.headers.get("x-trace-id") ?? "";
    } finally {
      await fetch(`${ep.toxiproxyUrl}/proxies/risk/toxics/${TOXIC}`, { method: "DELETE" });
    }
    const t = await traceWith(jaeger, id, 3);
    const toRisk = t.spans.filter((s) => tag(s, "peer.service") === "risk");
    expect(toRisk.length).toBeGreaterThanOrEqual(2); // the first attempt and at least one retry
    for (const s of toRisk) expect(tag(s, "error")).toBe(true);
    expect(toRisk.map((s) => tag(s, "attempt")).sort()).toEqual(
      Array.from({ length: toRisk.length }, (_, i) => i + 1),
    );
    // Toxiproxy lets the request through and drops the answer (ECONNRESET): risk's own spans are
    // there, each under one of payments' failed attempts, and orders' call to payments failed too.
    const failedIds = new Set(toRisk.map((s) => s.spanID));
    const riskServers = serverSpans(t).filter((s) => serviceOf(t, s) === "risk");
    for (const s of riskServers) expect(failedIds.has(parentOf(s) ?? "")).toBe(true);
    const toPayments = t.spans.filter((s) => tag(s, "peer.service") === "payments");
    expect(toPayments.map((s) => tag(s, "error"))).toEqual([true]);
  });

  it("with the backend gone the services keep serving, as fast as before", async () => {
    const timed = async () => {
      const t0 = performance.now();
      for (let i = 0; i < 20; i++) expect((await fetch(ep.checkoutUrl)).status).toBe(200);
      return performance.now() - t0;
    };
    const up = await timed();
    await jaeger.stop();
    const down = await timed();
    // A bound, not a speed claim: a blocking export would add its 2 s timeout to every request.
    expect(down, `20 checkouts: ${up.toFixed(0)} ms with Jaeger, ${down.toFixed(0)} ms without`).toBeLessThan(
      up + 10_000,
    );
  });

  it("refuses a traces endpoint off this machine: the spans could leave it", () => {
    expect(() =>
      loadServiceConfig("gateway", { SANDBOX_OTLP_TRACES: "http://10.1.2.3:4318/v1/traces" }),
    ).toThrow(/traces/);
    expect(
      loadServiceConfig("gateway", { SANDBOX_OTLP_TRACES: "http://127.0.0.1:4318/v1/traces" }).traces,
    ).toBe("http://127.0.0.1:4318/v1/traces");
  });
});
