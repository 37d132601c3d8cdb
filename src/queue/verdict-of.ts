import { ExitCode, type ExitCodeValue } from "../errors/gameday-error.js";
import type { Verdict } from "../run/run-result.js";

const VERDICTS: Record<ExitCodeValue, Verdict> = {
  [ExitCode.passed]: "passed",
  [ExitCode.failed]: "failed",
  [ExitCode.invalid]: "error",
  [ExitCode.aborted]: "aborted",
  [ExitCode.notRun]: "not-run",
  [ExitCode.error]: "error",
};

export function verdictOf(code: ExitCodeValue): Verdict {
  return VERDICTS[code];
}
