import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { syntheticRun } from "./support/synthetic-run.js";

// Redis not configured: no --redis and no REDIS_URL (this file's process only).
delete process.env.REDIS_URL;

describe("gameday runs and runs show read the state folder when Redis is not configured", () => {
  const state = mkdtempSync(join(tmpdir(), "gameday-runs-"));
  syntheticRun(state, { runId: "r1-old", experiment: "payments-latency", startedAt: Date.UTC(2026, 9, 1) });
  syntheticRun(state, {
    runId: "r2-new",
    experiment: "payments-latency",
    startedAt: Date.UTC(2026, 10, 1),
    verdict: "failed",
  });
  // A run whose process died: a journal with run.started only, a pid that does not exist.
  const dead = join(state, "runs", "r3-dead");
  mkdirSync(dead, { recursive: true });
  writeFileSync(
    join(dead, "journal.jsonl"),
    `${JSON.stringify({ t: Date.UTC(2026, 10, 2), runId: "r3-dead", type: "run.started", data: { experiment: "risk-resets", pid: 2 ** 22 + 7 } })}\n{"t":17`,
  );

  it("lists every run of the folder, newest first, with its verdict or state", async () => {
    const res = await runCli(["runs", "--state-dir", state]);
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trim().split("\n");
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(["r3-dead", "r2-new", "r1-old"]);
    expect(lines[0]).toContain("interrupted");
    expect(lines[1]).toContain("failed");
    expect(lines[2]).toContain("passed");
    const json = JSON.parse((await runCli(["runs", "--state-dir", state, "--json"])).stdout) as {
      runId: string;
    }[];
    expect(json.map((r) => r.runId)).toEqual(["r3-dead", "r2-new", "r1-old"]);
  });

  it("shows one run from its folder, and says what could not be read", async () => {
    const show = await runCli(["runs", "show", "r2-new", "--state-dir", state]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain("verdict failed (exit 1)");
    expect(show.stdout).toContain("✗ expectation 0: failed");
    const broken = await runCli(["runs", "show", "r3-dead", "--state-dir", state]);
    expect(broken.code, broken.stderr).toBe(0);
    expect(broken.stdout).toContain("journal.jsonl: 1 line could not be read");
    expect(broken.stdout).toContain("the run ended without a verdict");
    const missing = await runCli(["runs", "show", "nope", "--state-dir", state]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`no run nope in ${state}`);
  });
});
