import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { searchLogRecords } from "../../src/drill/log-search.js";
import { MAX_SPANS, traceSpans } from "../../src/drill/trace-spans.js";

const T = "0af7651916cd43dd8448eb211c80319c";
const OTHER = "4bf92f3577b34da6a3ce929d0e0e4736";
const dir = mkdtempSync(join(tmpdir(), "gd-trace-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** ms after a fixed moment, as the services' ISO times. */
const at = (ms: number) => new Date(Date.UTC(2026, 11, 4, 6, 0, 0) + ms).toISOString();
const write = (service: string, lines: Record<string, unknown>[]) =>
  writeFileSync(
    join(dir, `${service}.jsonl`),
    lines.map((l) => JSON.stringify({ service, trace_id: T, ...l })).join("\n"),
  );

// One failed checkout, as the services log it: each line written when its span ends.
write("gateway", [
  {
    level: "warn",
    time: at(460),
    event: "attempt",
    dependency: "orders",
    attempt: 1,
    duration_ms: 450,
    outcome: "error",
    status: 503,
    reason: "error",
    span_id: "g-att1",
    parent_span_id: "g-req",
    msg: "orders attempt 1 failed after 450 ms: HTTP 503",
  },
  {
    level: "error",
    time: at(461),
    event: "request",
    route: "/checkout",
    status: 502,
    duration_ms: 461,
    outcome: "error",
    span_id: "g-req",
    msg: "checkout failed with 502: orders answered HTTP 503",
  },
  {
    level: "info",
    time: at(5),
    event: "request",
    route: "/checkout",
    status: 200,
    duration_ms: 4,
    outcome: "ok",
    span_id: "x",
    trace_id: OTHER,
  },
]);
write("orders", [
  {
    level: "warn",
    time: at(455),
    event: "attempt",
    dependency: "payments",
    attempt: 1,
    duration_ms: 440,
    outcome: "error",
    status: 503,
    reason: "error",
    span_id: "o-att1",
    parent_span_id: "o-req",
  },
  {
    level: "error",
    time: at(456),
    event: "request",
    route: "/orders",
    status: 503,
    duration_ms: 446,
    outcome: "error",
    span_id: "o-req",
    parent_span_id: "g-att1",
  },
]);
write("payments", [
  {
    level: "warn",
    time: at(218),
    event: "attempt",
    dependency: "risk",
    attempt: 1,
    duration_ms: 200,
    outcome: "timeout",
    reason: "timeout",
    span_id: "p-att1",
    parent_span_id: "p-req",
  },
  {
    level: "warn",
    time: at(218),
    event: "retry",
    dependency: "risk",
    attempt: 2,
    reason: "retry",
    cause: "timeout",
    delay_ms: 20,
    span_id: "p-req",
    msg: "risk call failed (timeout): retrying, attempt 2 in 20 ms",
  },
  {
    level: "warn",
    time: at(435),
    event: "attempt",
    dependency: "risk",
    attempt: 2,
    duration_ms: 200,
    outcome: "timeout",
    reason: "timeout",
    span_id: "p-att2",
    parent_span_id: "p-req",
  },
  {
    level: "error",
    time: at(436),
    event: "retries_exhausted",
    dependency: "risk",
    attempts: 2,
    cause: "timeout",
    span_id: "p-req",
  },
  {
    level: "error",
    time: at(437),
    event: "request",
    route: "/charge",
    status: 503,
    duration_ms: 420,
    outcome: "error",
    span_id: "p-req",
    parent_span_id: "o-att1",
  },
]);
write("risk", [
  // The answer to attempt 1, after a long wait for a database connection.
  {
    level: "warn",
    time: at(330),
    event: "request",
    route: "/score",
    status: 200,
    duration_ms: 310,
    outcome: "ok",
    span_id: "r-1",
    parent_span_id: "p-att1",
    dependency: "risk-db",
    cache: "miss",
    pool_wait_ms: 190,
    query_ms: 121,
    msg: "score slow: waited 190 ms for a database connection (pool risk-db, cache miss)",
  },
  // A score whose caller's attempt line is not in the logs (its file's tail, or not yet written).
  {
    level: "error",
    time: at(900),
    event: "request",
    route: "/score",
    status: 503,
    duration_ms: 400,
    outcome: "error",
    span_id: "r-2",
    parent_span_id: "p-att9",
    dependency: "risk-db",
    reason: "pool_timeout",
    pool_wait_ms: 400,
  },
  // The control endpoint's line never reaches a responder, even one that carries the trace id.
  {
    level: "info",
    time: at(100),
    event: "app_fault_applied",
    kind: "cache-hit-ratio",
    owner: "gameday@h.r.cold-cache",
    span_id: "c-1",
    parent_span_id: "r-1",
  },
]);
writeFileSync(join(dir, "risk.log"), `risk listening on 127.0.0.1:18083 ${T}\n`);

const view = () => {
  const { matches, note } = searchLogRecords(dir, { trace: T, limit: 1000 });
  return traceSpans(T, matches, note);
};

describe("a trace's waterfall from the services' log lines", () => {
  it("builds the spans in tree order, indented by parent, started at time minus duration", () => {
    const v = view();
    expect(v.spans.map((s) => `${"  ".repeat(s.depth)}${s.service} ${s.name}`)).toEqual([
      "gateway /checkout",
      "  gateway -> orders #1",
      "    orders /orders",
      "      orders -> payments #1",
      "        payments /charge",
      "          payments -> risk #1",
      "            risk /score",
      "              risk risk-db pool wait",
      "              risk risk-db query",
      "          payments retry risk #2",
      "          payments -> risk #2",
      "          payments retries_exhausted risk",
      "risk /score",
      "  risk risk-db pool wait",
    ]);
    expect(v.startedAt).toBe(Date.parse(at(0)));
    expect(v.durationMs).toBe(900);
    const risk = v.spans.find((s) => s.id === "r-1");
    expect(risk).toMatchObject({
      offsetMs: 20,
      durationMs: 310,
      outcome: "ok",
      status: 200,
      kind: "request",
    });
    const wait = v.spans.find((s) => s.id === "r-1.pool");
    expect(wait).toMatchObject({ offsetMs: 20, durationMs: 190, kind: "pool-wait", parent: "r-1" });
    expect(v.spans.find((s) => s.id === "r-1.query")).toMatchObject({ offsetMs: 210, durationMs: 121 });
  });

  it("keeps outcomes and the reasons of timeouts, retries and giving up", () => {
    const v = view();
    expect(v.spans.find((s) => s.id === "p-att1")).toMatchObject({ outcome: "error", reason: "timeout" });
    expect(v.spans.find((s) => s.kind === "event" && s.name.startsWith("retry "))).toMatchObject({
      outcome: "warn",
      reason: "retry",
      cause: "timeout",
      durationMs: 0,
      parent: "p-req",
      msg: "risk call failed (timeout): retrying, attempt 2 in 20 ms",
    });
    expect(v.spans.find((s) => s.name.startsWith("retries_exhausted"))).toMatchObject({
      outcome: "error",
      cause: "timeout",
    });
    expect(v.spans.find((s) => s.id === "g-req")).toMatchObject({ status: 502, outcome: "error" });
  });

  it("a span whose parent is not logged is a root, marked, not dropped; a root has no mark", () => {
    const v = view();
    expect(v.spans.find((s) => s.id === "r-2")).toMatchObject({
      depth: 0,
      missingParent: true,
      parent: "p-att9",
    });
    expect(v.spans.find((s) => s.id === "r-2.pool")).toMatchObject({
      outcome: "error",
      reason: "pool_timeout",
    });
    expect(v.spans.find((s) => s.id === "g-req")?.missingParent).toBeUndefined();
  });

  it("never includes the control endpoint's app_fault line, nor other traces' lines nor plain lines", () => {
    const v = view();
    expect(v.spans.map((s) => s.id)).not.toContain("c-1");
    expect(v.spans.map((s) => s.id)).not.toContain("x");
    expect(JSON.stringify(v)).not.toMatch(/app_fault|cache-hit-ratio|cold-cache|gameday@|listening/);
  });

  it("is bounded, and says so; an unknown trace has a note and no spans", () => {
    const many = Array.from({ length: MAX_SPANS + 50 }, (_, i) => ({
      entry: { service: "gateway" as const, level: "info", msg: "", time: 1000 + i, trace: T },
      record: { event: "request", route: "/checkout", span_id: `s${i}`, duration_ms: 1, outcome: "ok" },
    }));
    const big = traceSpans(T, many);
    expect(big.spans).toHaveLength(MAX_SPANS);
    expect(big.truncated).toBe(true);
    const none = traceSpans(OTHER.replace("4", "5"), []);
    expect(none.spans).toEqual([]);
    expect(none.note).toContain("no span");
  });
});
