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
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/cache-hit-ratio|slow-scores|app_fault/);
  });
  it("filters by trace id, level and time", () => {
    expect(searchLogs(dir, { trace: "t2" }).entries.map((e) => e.level)).toEqual(["warn"]);
    expect(searchLogs(dir, { level: "warn" }).entries).toHaveLength(1);
    expect(searchLogs(dir, { since: Date.parse(at(2)) }).entries.map((e) => e.trace)).toEqual(["t2"]);
  });
});
