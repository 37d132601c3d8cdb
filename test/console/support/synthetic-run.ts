import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RunResult } from "../../../src/run/run-result.js";
import { SampleLog } from "../../../src/run/samples/sample-log.js";

/**
 * A finished run folder in the real formats (journal lines, SampleLog): a 60 s method at 1 s
 * sampling, one fault from 10 s to 40 s, `expectations` expectations and load statistics.
 */
export function syntheticRun(
  stateDir: string,
  opts: {
    runId: string;
    experiment: string;
    startedAt: number;
    expectations?: number;
    p95Scale?: number;
    verdict?: "passed" | "failed";
  },
): string {
  const dir = join(stateDir, "runs", opts.runId);
  mkdirSync(dir, { recursive: true });
  const t0 = opts.startedAt;
  const at = (ms: number) => t0 + ms;
  // Journal lines with chosen times (Journal.write stamps "now"); the same schema Journal.read parses.
  const lines: string[] = [];
  const ev = (t: number, type: string, data: Record<string, unknown>) =>
    lines.push(JSON.stringify({ t, runId: opts.runId, type, data }));
  ev(at(0), "run.started", {
    experiment: opts.experiment,
    file: "synthetic.yaml",
    target: "sandbox",
    pid: 999999,
    gameDay: "synthetic-monthly",
  });
  ev(at(100), "phase", { phase: "baseline" });
  ev(at(5000), "phase", { phase: "method" });
  ev(at(15000), "fault.injecting", { fault: "slow-payments", family: "toxiproxy" });
  ev(at(15050), "fault.injected", { fault: "slow-payments", description: "latency 800ms on payments" });
  ev(at(45000), "fault.reverted", { fault: "slow-payments" });
  ev(at(65000), "phase", { phase: "rollback" });
  ev(at(65200), "phase", { phase: "recovery" });
  ev(at(70000), "phase", { phase: "done" });
  ev(at(70001), "run.finished", {
    verdict: opts.verdict ?? "passed",
    exitCode: opts.verdict === "failed" ? 1 : 0,
    reason: "synthetic",
  });
  writeFileSync(join(dir, "journal.jsonl"), `${lines.join("\n")}\n`);

  const samples = new SampleLog(dir);
  const n = opts.expectations ?? 5;
  for (let i = 0; i < n; i++)
    samples.series({
      id: `expect:${i}`,
      group: "expect",
      label: `expectation ${i}`,
      op: "below",
      threshold: 500,
      during: "slow-payments",
    });
  samples.series({
    id: "steady:0",
    group: "steady",
    label: "checkout healthy",
    op: "below",
    threshold: 0.01,
  });
  const scale = opts.p95Scale ?? 1;
  for (let s = 1; s <= 60; s++) {
    const t = at(5000 + s * 1000);
    const faulted = t >= at(15050) && t <= at(45000);
    for (let i = 0; i < n; i++)
      samples.sample(`expect:${i}`, t, (faulted ? 300 : 60) * scale + i * 10 + (s % 5));
    samples.sample("steady:0", t, faulted ? 0.02 : 0);
    const p95 = (faulted ? 320 : 45) * scale;
    const stats = {
      metric: (m: string) =>
        ({ requests: 50, throughput: 49, errorRatio: faulted ? 0.02 : 0, p50: p95 / 3, p95, p99: p95 * 1.3 })[
          m
        ],
    };
    samples.load(t, stats as never, 1000);
  }
  samples.close();
  const result: Partial<RunResult> = {
    runId: opts.runId,
    experiment: opts.experiment,
    file: "synthetic.yaml",
    target: "sandbox",
    gameDay: "synthetic-monthly",
    verdict: opts.verdict ?? "passed",
    exitCode: opts.verdict === "failed" ? 1 : 0,
    reason: opts.verdict === "failed" ? "1 of 5 expectations did not hold" : "all 5 expectations held",
    startedAt: t0,
    endedAt: at(70001),
    plans: [],
    steadyStateBefore: [],
    recovery: [],
    expectations: Array.from({ length: n }, (_, i) => ({
      name: `expectation ${i}`,
      semantics: "always during slow-payments",
      status: opts.verdict === "failed" && i === 0 ? ("failed" as const) : ("passed" as const),
      summary: `synthetic ${i}`,
      samples: [],
    })),
    timeline: { faults: {} },
    remaining: [],
    load: { requests: 3000, errors: 30 },
    artifactsDir: dir,
    journalPath: join(dir, "journal.jsonl"),
  };
  writeFileSync(join(dir, "run.json"), JSON.stringify(result));
  return dir;
}
