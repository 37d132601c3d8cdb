import type { JournalEvent } from "../run/journal-schema.js";
import type { ProgressSnapshot } from "../run/run-context.js";
import type { RunResult } from "../run/run-result.js";

/** Output plug-in: live hooks are optional; file reporters only implement onSuiteEnd. */
export interface Reporter {
  onEvent?(event: JournalEvent): void;
  onProgress?(snapshot: ProgressSnapshot): void;
  onRunEnd?(result: RunResult): void | Promise<void>;
  /** Called once with every run of the invocation (one for a single experiment). */
  onSuiteEnd?(results: RunResult[]): void | Promise<void>;
}

export interface ReporterOptions {
  /** Where a file reporter writes; defaults to the run's artifacts directory. */
  outFile?: string | undefined;
  stream?: NodeJS.WriteStream;
}
