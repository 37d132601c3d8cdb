import type { Verdict } from "../run/run-result.js";

/** One experiment run as history, trends and the console list it, wherever it was recorded. */
export interface RunSummary {
  runId: string;
  experiment: string;
  gameDay?: string | undefined;
  file?: string | undefined;
  target?: string | undefined;
  /** running: its process is alive; interrupted: it ended without a verdict (killed, crashed). */
  status: "running" | "finished" | "interrupted";
  verdict?: Verdict | undefined;
  reason?: string | undefined;
  startedAt: number;
  endedAt?: number | undefined;
  /** The run's folder (journal, samples, reports), when it is on this machine. */
  dir?: string | undefined;
  sources: ("local" | "redis")[];
  /** The queue run it belonged to. */
  queueRun?: string | undefined;
  pid?: number | undefined;
}

/** Run history from one place: files in the state folder, Redis when configured, or both. */
export interface RunStore {
  /** Newest first. */
  list(): Promise<RunSummary[]>;
  get(runId: string): Promise<RunSummary | undefined>;
}
