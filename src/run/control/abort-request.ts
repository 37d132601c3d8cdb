import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const ABORT_REQUEST_FILE = "abort.request.json";
const POLL_MS = 250;

export interface AbortRequest {
  by: string;
  at: number;
}

/**
 * Another process (the console) asks a run to stop by writing this file in the run's folder; the
 * run polls for it and aborts exactly as on SIGINT (method stops, rollback runs, exit 3). A file,
 * not a signal: it reaches the right run even inside a multi-experiment `gameday run`, and needs
 * no pid checks. Written atomically (temp file and rename) so a half-written request is never read.
 */
export function writeAbortRequest(runDir: string, req: AbortRequest): void {
  const tmp = join(runDir, `.${ABORT_REQUEST_FILE}.${process.pid}`);
  writeFileSync(tmp, JSON.stringify(req));
  renameSync(tmp, join(runDir, ABORT_REQUEST_FILE));
}

/** Polls the run's folder; calls onRequest once. Returns a stop function. */
export function watchAbortRequest(runDir: string, onRequest: (req: AbortRequest) => void): () => void {
  const file = join(runDir, ABORT_REQUEST_FILE);
  const timer = setInterval(() => {
    if (!existsSync(file)) return;
    clearInterval(timer);
    let req: AbortRequest = { by: "unknown", at: Date.now() };
    try {
      req = { ...req, ...(JSON.parse(readFileSync(file, "utf8")) as Partial<AbortRequest>) };
    } catch {
      // an unreadable request still means "stop"
    }
    onRequest(req);
  }, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
