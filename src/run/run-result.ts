import type { ExitCodeValue } from "../errors/gameday-error.js";
import type { ParameterValue } from "../experiment/parameter-schema.js";
import type { ExpectationResult } from "../interfaces/expectation.js";
import type { PlannedFault } from "../interfaces/injector.js";
import type { SteadyStateResult } from "./steps/steady-state-step.js";
import type { Timeline } from "./timeline.js";

export type Verdict = "passed" | "failed" | "aborted" | "not-run" | "error";

/** The whole outcome of a run as data: written as run.json and read by every reporter. */
export interface RunResult {
  runId: string;
  /** The experiment's name; a matrix run's carries its values: `payments-latency[latency=800ms]`. */
  experiment: string;
  /** Every parameter's resolved value (spec.parameters), when the experiment declares any. */
  parameters?: Record<string, ParameterValue> | undefined;
  description?: string | undefined;
  file: string;
  target: string;
  gameDay?: string | undefined;
  verdict: Verdict;
  exitCode: ExitCodeValue;
  /** One sentence: why this verdict. */
  reason: string;
  startedAt: number;
  endedAt: number;
  plans: PlannedFault[];
  steadyStateBefore: SteadyStateResult[];
  expectations: ExpectationResult[];
  recovery: SteadyStateResult[];
  timeline: Timeline;
  /** Faults that could not be verified reverted: what may remain in the target. */
  remaining: string[];
  load?: { requests: number; errors: number } | undefined;
  artifactsDir: string;
  journalPath: string;
}
