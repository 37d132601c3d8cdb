import { ExitCode, type ExitCodeValue } from "../errors/gameday-error.js";
import type { ExpectationResult } from "../interfaces/expectation.js";
import type { RunResult, Verdict } from "./run-result.js";
import type { SteadyStateResult } from "./steps/steady-state-step.js";

export interface VerdictInput {
  error?: { message: string; exitCode: ExitCodeValue } | undefined;
  remaining: string[];
  steadyBefore?: SteadyStateResult[] | undefined;
  aborted?: { reason: string; by: string } | undefined;
  expectations: ExpectationResult[];
  recovery?: SteadyStateResult[] | undefined;
}

const EXIT: Record<Verdict, ExitCodeValue> = {
  passed: ExitCode.passed,
  failed: ExitCode.failed,
  aborted: ExitCode.aborted,
  "not-run": ExitCode.notRun,
  error: ExitCode.error,
};

/** Precedence: an unverified rollback outranks everything, because something may still be broken. */
export function decideVerdict(v: VerdictInput): {
  verdict: Verdict;
  exitCode: ExitCodeValue;
  reason: string;
} {
  const out = (verdict: Verdict, reason: string) => ({ verdict, exitCode: EXIT[verdict], reason });
  if (v.remaining.length) return out("error", `ROLLBACK NOT VERIFIED; may remain: ${v.remaining.join("; ")}`);
  if (v.error) {
    if (v.error.exitCode === ExitCode.notRun) return out("not-run", v.error.message);
    if (v.error.exitCode === ExitCode.invalid)
      return { verdict: "error", exitCode: ExitCode.invalid, reason: v.error.message };
    return out("error", v.error.message);
  }
  const steadyFailed = v.steadyBefore?.filter((s) => !s.ok) ?? [];
  if (steadyFailed.length)
    return out(
      "not-run",
      `steady state before did not hold, nothing injected: ${steadyFailed.map((s) => `${s.name} (${s.summary})`).join("; ")}`,
    );
  if (v.aborted) return out("aborted", `aborted by ${v.aborted.by}: ${v.aborted.reason}`);
  const failed = v.expectations.filter((e) => e.status !== "passed");
  const recoveryFailed = v.recovery?.filter((s) => !s.ok) ?? [];
  if (failed.length || recoveryFailed.length) {
    const parts = [
      ...failed.map((e) => `expectation "${e.name}" failed: ${e.summary}`),
      ...recoveryFailed.map((s) => `recovery "${s.name}" failed: ${s.summary}`),
    ];
    return out("failed", parts.join("; "));
  }
  return out("passed", `all ${v.expectations.length} expectations held and steady state recovered`);
}

/** The worst outcome decides a suite's exit code; an unverified rollback is the worst of all. */
const SEVERITY: ExitCodeValue[] = [
  ExitCode.error,
  ExitCode.invalid, // a run refused as invalid input must never read as passed
  ExitCode.aborted,
  ExitCode.notRun,
  ExitCode.failed,
  ExitCode.passed,
];
export function combinedExitCode(results: RunResult[]): ExitCodeValue {
  return SEVERITY.find((code) => results.some((r) => r.exitCode === code)) ?? ExitCode.passed;
}
