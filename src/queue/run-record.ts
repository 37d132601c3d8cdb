import { z } from "zod";

const verdicts = z.enum(["passed", "failed", "aborted", "not-run", "error"]);

export const experimentOutcomeSchema = z.object({
  runId: z.string(),
  experiment: z.string(),
  file: z.string(),
  target: z.string(),
  verdict: verdicts,
  exitCode: z.number(),
  reason: z.string(),
  /** Expectations and steady-state checks that did not hold, one line each. */
  failing: z.array(z.string()),
  artifactsDir: z.string(),
  startedAt: z.number(),
  endedAt: z.number(),
});

/** One queued game day run as `gameday runs` shows it; stored as JSON in Redis (AOF-persisted). */
export const runRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(["suite", "experiment"]),
  file: z.string(),
  schedule: z.string().optional(),
  status: z.enum(["queued", "waiting", "running", "finished", "skipped"]),
  verdict: verdicts.optional(),
  exitCode: z.number().optional(),
  reason: z.string().optional(),
  enqueuedAt: z.number(),
  startedAt: z.number().optional(),
  endedAt: z.number().optional(),
  worker: z.object({ id: z.string(), host: z.string(), pid: z.number() }).optional(),
  experiments: z.array(experimentOutcomeSchema).default([]),
  /** Faults a janitor reverted after this run's worker died. */
  reverted: z.array(z.string()).default([]),
  /** Faults that could not be verified reverted. */
  remaining: z.array(z.string()).default([]),
  /** The combined reports, on the worker's machine. */
  artifacts: z.object({ report: z.string(), junit: z.string() }).optional(),
});

export type RunRecord = z.infer<typeof runRecordSchema>;
export type ExperimentOutcome = z.infer<typeof experimentOutcomeSchema>;

export const TERMINAL_STATUSES: readonly RunRecord["status"][] = ["finished", "skipped"];
