import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { searchLogs } from "../../src/drill/log-search.js";

const dir = mkdtempSync(join(tmpdir(), "gd-logs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (s: number) => new Date(Date.UTC(2026, 11, 2, 6, 0, s)).toISOString();
writeFileSync(
  join(dir, "risk.jsonl"),
  [
    {
      level: "info",
      time: at(1),
      service: "risk",
      event: "request",
      route: "/score",
      status: 200,
      duration_ms: 3,
      trace_id: "t1",
    },
    {
      level: "info",
      time: at(2),
      service: "risk",
      event: "app_fault_applied",
      fault_id: "x",
      kind: "cache-hit-ratio",
      owner: "gameday@h.r.slow-scores",
    },
    {
      level: "warn",
      time: at(3),
      service: "risk",
      event: "pool_wait",
      reason: "pool exhausted",
      trace_id: "t2",
    },
    {
      level: "error",
      time: at(4),
      service: "risk",
      event: "request",
      status: 503,
      reason: "pool_timeout",
      msg: "score failed with 503: waited 1000 ms for a database connection",
      trace_id: "t3",
    },
  ]
    .map((r) => JSON.stringify(r))
    .join("\n"),
);
writeFileSync(join(dir, "risk.log"), "risk listening on 127.0.0.1:18083\n");

describe("the drill's log search over the services' pino logs", () => {
  it("reads <service>.jsonl with ISO times and event fields, and never the control endpoint's fault lines", () => {
    const { entries } = searchLogs(dir, { service: "risk" });
    expect(entries.map((e) => e.msg)).toEqual([
      "risk listening on 127.0.0.1:18083",
      "request route=/score status=200 duration_ms=3",
      "pool_wait reason=pool exhausted",
      "score failed with 503: waited 1000 ms for a database connection",
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/cache-hit-ratio|slow-scores|app_fault/);
  });
  it("filters by trace id, level and time", () => {
    expect(searchLogs(dir, { trace: "t2" }).entries.map((e) => e.level)).toEqual(["warn"]);
    expect(searchLogs(dir, { since: Date.parse(at(2)) }).entries.map((e) => e.trace)).toEqual(["t2", "t3"]);
  });
  it("a level means it and the more severe ones; a time range has two ends; words match message and fields", () => {
    expect(searchLogs(dir, { level: "warn" }).entries.map((e) => e.level)).toEqual(["warn", "error"]);
    expect(searchLogs(dir, { level: "error" }).entries.map((e) => e.trace)).toEqual(["t3"]);
    expect(searchLogs(dir, { level: "loud" }).note).toContain("no level");
    expect(
      searchLogs(dir, { since: Date.parse(at(1)), until: Date.parse(at(3)) }).entries.map((e) => e.trace),
    ).toEqual(["t1", "t2"]);
    expect(searchLogs(dir, { text: "DATABASE connection" }).entries.map((e) => e.trace)).toEqual(["t3"]);
    // A line with a message of its own keeps its fields beside it, searchable too.
    const [line] = searchLogs(dir, { text: "pool_timeout" }).entries;
    expect(line?.fields).toContain("status=503");
    expect(searchLogs(dir, { text: "pool exhausted route" }).entries).toEqual([]);
  });
});
