import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setImmediate as tick } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { serviceLogFiles } from "../../sandbox-services/lib/observe/log-files.js";
import {
  createServiceLogger,
  type ServiceLogger,
} from "../../sandbox-services/lib/observe/service-logger.js";
import { loadServiceConfig } from "../../sandbox-services/lib/service-config.js";
import { searchLogs } from "../../src/drill/log-search.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const MAX_BYTES = 16 * 1024;

/** The service's logger as run-service.ts builds it, from the environment the launcher would give. */
function serviceLogger(maxFiles: number): { dir: string; log: ServiceLogger } {
  const dir = mkdtempSync(join(tmpdir(), "gd-logrot-"));
  dirs.push(dir);
  const config = loadServiceConfig("risk", {
    SANDBOX_LOG_DIR: dir,
    SANDBOX_LOG_MAX_BYTES: String(MAX_BYTES),
    SANDBOX_LOG_MAX_FILES: String(maxFiles),
  });
  expect(config.logRotation).toEqual({ maxBytes: MAX_BYTES, maxFiles });
  return { dir, log: createServiceLogger("risk", config.logDir, config.logRotation) };
}

/**
 * `lines` request lines (seq 0..), in bursts yielding to the event loop in between so rotations
 * happen while lines are buffered and written; every 50th line is a control-endpoint app_fault line.
 */
async function writeLines(dir: string, log: ServiceLogger, lines: number): Promise<void> {
  for (let seq = 0; seq < lines; seq++) {
    log.info(
      {
        event: "request",
        route: "/score",
        status: 200,
        duration_ms: 3,
        seq,
        trace_id: `trace-${seq}`,
        ...(seq === 7 ? { reason: "needle" } : {}),
      },
      `score ${seq} answered ${"x".repeat(seq % 97)}`,
    );
    if (seq % 50 === 0)
      log.info({ event: "app_fault_applied", kind: "cache-hit-ratio", owner: "gameday@h.r.slow-scores" });
    if (seq % 40 === 0) await tick();
  }
  // SonicBoom writes in the background (its flush does not wait with minLength 0): wait for the last line.
  const last = `"seq":${lines - 1},`;
  for (let i = 0; i < 500; i++) {
    const files = serviceLogFiles(dir, "risk").filter((f) => existsSync(f));
    if (files.some((f) => readFileSync(f, "utf8").includes(last))) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  // A rotation right at the end reopens <service>.jsonl asynchronously.
  for (let i = 0; i < 100 && !existsSync(join(dir, "risk.jsonl")); i++)
    await new Promise((r) => setTimeout(r, 10));
}

/** Every line of the service's files, oldest file first, each parsed (a split line would not parse). */
function readAll(dir: string): { seqs: number[]; files: string[]; perFile: number[][] } {
  const files = serviceLogFiles(dir, "risk")
    .filter((f) => existsSync(f))
    .reverse();
  const perFile = files.map((f) => {
    const text = readFileSync(f, "utf8");
    if (text) expect(text.endsWith("\n"), `${f} ends with a whole line`).toBe(true);
    return text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { seq?: number; event: string })
      .flatMap((r) => (r.seq === undefined ? [] : [r.seq]));
  });
  return { seqs: perFile.flat(), files, perFile };
}

describe("the sandbox services' log rotation (SANDBOX_LOG_MAX_BYTES, SANDBOX_LOG_MAX_FILES)", () => {
  it("rotates by size, keeps every line whole and in order across the files", async () => {
    const { dir, log } = serviceLogger(100);
    await writeLines(dir, log, 3000);
    const { seqs, files, perFile } = readAll(dir);
    // ~600 KB through a 16 KiB limit: many rotations, none of them losing or splitting a line.
    expect(files.length).toBeGreaterThan(10);
    expect(seqs).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    for (const f of files.slice(0, -1)) {
      // Over the limit by at most one SonicBoom write (16 KiB): it rotates after the write that crossed it.
      expect(statSync(f).size).toBeGreaterThanOrEqual(MAX_BYTES);
      expect(statSync(f).size).toBeLessThanOrEqual(MAX_BYTES + 16 * 1024);
    }
    // Every rotated file has lines (the current one may be empty: just reopened).
    expect(perFile.slice(0, -1).every((p) => p.length > 0)).toBe(true);
  });

  it("keeps at most SANDBOX_LOG_MAX_FILES rotated files, the newest lines without a gap", async () => {
    const { dir, log } = serviceLogger(3);
    await writeLines(dir, log, 3000);
    const names = readdirSync(dir).sort();
    expect(names).toEqual(["risk.1.jsonl", "risk.2.jsonl", "risk.3.jsonl", "risk.jsonl"]);
    const { seqs } = readAll(dir);
    const first = seqs[0] ?? 0;
    expect(first).toBeGreaterThan(0);
    expect(seqs).toEqual(Array.from({ length: 3000 - first }, (_, i) => first + i));
  });

  it("the drill's log search reads the rotated files, newest first, and still hides the control endpoint's lines", async () => {
    const { dir, log } = serviceLogger(100);
    await writeLines(dir, log, 3000);
    const { perFile } = readAll(dir);
    const oldest = perFile[0] ?? [];
    expect(oldest.length).toBeGreaterThan(0);
    // A line of the oldest rotated file, by its trace id.
    const deep = oldest[0] as number;
    expect(searchLogs(dir, { trace: `trace-${deep}` }).entries.map((e) => e.msg)).toEqual([
      expect.stringMatching(new RegExp(`^score ${deep} answered`)),
    ]);
    // Without a limit reached every file is read: all 3000 lines, oldest first, no control line.
    const all = searchLogs(dir, { service: "risk", limit: 1000, text: "answered" }).entries;
    expect(all).toHaveLength(1000);
    expect(all.map((e) => Number(/score (\d+)/.exec(e.msg)?.[1]))).toEqual(
      Array.from({ length: 1000 }, (_, i) => 2000 + i),
    );
    const every = searchLogs(dir, { service: "risk", limit: 1000 }).entries;
    expect(JSON.stringify(every)).not.toMatch(/cache-hit-ratio|slow-scores|app_fault/);
    // The newest lines win: a small limit takes them from the current file and the newest rotated ones.
    expect(searchLogs(dir, { limit: 3 }).entries.map((e) => e.msg.split(" answered")[0])).toEqual([
      "score 2997",
      "score 2998",
      "score 2999",
    ]);
    // A word only old lines have: found in rotated files beyond the newest ones.
    expect(searchLogs(dir, { text: "needle" }).entries.map((e) => e.trace)).toEqual(["trace-7"]);
    // A word naming a field (field=value) is matched on the parsed line, the others on the raw one first.
    expect(searchLogs(dir, { text: "route=/score NEEDLE" }).entries.map((e) => e.trace)).toEqual(["trace-7"]);
    // A time range in the past: rotated files that start after `until` are skipped, the oldest one is read.
    const [first] = searchLogs(dir, { trace: "trace-0" }).entries;
    const until = first?.time as number;
    const early = searchLogs(dir, { until, limit: 1000 }).entries;
    expect(early.length).toBeGreaterThan(0);
    expect(early.every((e) => (e.time as number) <= until)).toBe(true);
    expect(early.map((e) => e.trace)).toContain("trace-0");
    expect(JSON.stringify(early)).not.toMatch(/app_fault/);
    // `since` stops the scan at the first older line: the newest second holds the last lines only.
    const since = searchLogs(dir, { limit: 1 }).entries[0]?.time as number;
    const late = searchLogs(dir, { since, limit: 1000 }).entries;
    expect(late.at(-1)?.trace).toBe("trace-2999");
    expect(late.every((e) => (e.time as number) >= since)).toBe(true);
  });
});
