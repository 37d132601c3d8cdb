import type { RunStore, RunSummary } from "../interfaces/run-store.js";
import { writeAbortRequest } from "../run/control/abort-request.js";

export interface AbortAnswer {
  status: 202 | 404 | 409;
  message: string;
}

/** Publishes an abort for a queue run whose folder is on another machine (its worker acts on it). */
export type QueueAbort = (run: RunSummary) => Promise<boolean>;

/**
 * The console's abort: for a run that is really running, the request file its process watches
 * (the same stop as SIGINT); for anything that ended, a clear answer and nothing touched.
 */
export async function abortRun(
  store: RunStore,
  runId: string,
  by: string,
  queue?: QueueAbort,
  /** A run only the queue's progress channel knows (running on a worker elsewhere). */
  remote?: (runId: string) => RunSummary | undefined,
): Promise<AbortAnswer> {
  const run = (await store.get(runId)) ?? remote?.(runId);
  if (!run) return { status: 404, message: `no run ${runId} in the run history` };
  if (run.status === "finished")
    return {
      status: 409,
      message: `run ${runId} already ended (verdict ${run.verdict ?? "unknown"}): nothing to abort, nothing was touched`,
    };
  if (run.status === "interrupted")
    return {
      status: 409,
      message: `run ${runId} is not running (its process ${run.pid ?? "?"} is gone, no verdict): nothing was touched; run \`gameday recover\` if faults may remain`,
    };
  if (run.dir) {
    writeAbortRequest(run.dir, { by, at: Date.now() });
    return {
      status: 202,
      message: `abort requested: run ${runId} stops its method and rolls back every fault (as on Ctrl-C)`,
    };
  }
  if (queue && (await queue(run)))
    return { status: 202, message: `abort sent to the worker of queue run ${run.queueRun ?? runId}` };
  return { status: 409, message: `run ${runId} cannot be reached from this console: nothing was touched` };
}
