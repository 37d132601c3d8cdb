import type { Job } from "bullmq";
import { redactDeep } from "../redact/redact.js";
import type { JournalEvent } from "../run/journal-schema.js";
import type { ProgressSnapshot } from "../run/run-context.js";
import type { RunResult } from "../run/run-result.js";
import { type ProgressMessage, slimResult } from "./progress-message.js";

const SHOWN = new Set([
  "run.started",
  "fault.injected",
  "fault.reverted",
  "fault.revert-failed",
  "abort",
  "error",
  "steady-state",
  "phase",
]);

/**
 * Sends a run's live view through job.updateProgress, in order and without blocking the run:
 * events are chained, snapshots at most one a second, each redacted (anyone reaching Redis reads
 * it). A failed send (Redis away) is dropped.
 */
export function progressPublisher(job: Job) {
  let chain: Promise<void> = Promise.resolve();
  let lastSnapshot = 0;
  const send = (m: ProgressMessage) => {
    chain = chain.then(() => job.updateProgress(redactDeep(m) as unknown as object)).catch(() => {});
  };
  return {
    event: (event: JournalEvent) => {
      if (SHOWN.has(event.type)) send({ type: "event", event });
    },
    snapshot: (snapshot: ProgressSnapshot) => {
      if (Date.now() - lastSnapshot < 1000) return;
      lastSnapshot = Date.now();
      send({ type: "snapshot", snapshot });
    },
    runEnd: (result: RunResult) => send({ type: "run-end", result: slimResult(result) }),
    flush: () => chain,
  };
}
