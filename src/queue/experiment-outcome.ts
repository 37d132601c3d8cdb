import type { RunResult } from "../run/run-result.js";
import type { ExperimentOutcome } from "./run-record.js";

/** The run record's line for one experiment: its verdict and what did not hold. */
export function experimentOutcome(r: RunResult): ExperimentOutcome {
  const failing = [
    ...r.steadyStateBefore.filter((s) => !s.ok).map((s) => `steady state before: ${s.name}: ${s.summary}`),
    ...r.expectations.filter((e) => e.status !== "passed").map((e) => `${e.name}: ${e.summary}`),
    ...r.recovery.filter((s) => !s.ok).map((s) => `recovery: ${s.name}: ${s.summary}`),
    ...r.remaining.map((x) => `MAY REMAIN INJECTED: ${x}`),
  ];
  return {
    runId: r.runId,
    experiment: r.experiment,
    file: r.file,
    target: r.target,
    verdict: r.verdict,
    exitCode: r.exitCode,
    reason: r.reason,
    failing,
    artifactsDir: r.artifactsDir,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
  };
}
