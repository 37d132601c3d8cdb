import type { JournalEvent } from "../run/journal-schema.js";
import type { ProgressSnapshot } from "../run/run-context.js";
import type { RunResult } from "../run/run-result.js";

/**
 * What a worker publishes with job.updateProgress (delivered by QueueEvents): journal events and
 * snapshots for the live console, and each experiment's result, so `enqueue --wait` prints what
 * `gameday run` would.
 */
export type ProgressMessage =
  | { type: "event"; event: JournalEvent }
  | { type: "snapshot"; snapshot: ProgressSnapshot }
  | { type: "run-end"; result: RunResult }
  | { type: "status"; status: string; message: string };

/** Samples are for the artifacts, not for the wire. */
export function slimResult(r: RunResult): RunResult {
  return {
    ...r,
    expectations: r.expectations.map((e) => ({ ...e, samples: [] })),
    steadyStateBefore: r.steadyStateBefore.map((s) => ({ ...s, samples: [] })),
    recovery: r.recovery.map((s) => ({ ...s, samples: [] })),
  };
}
