import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface JournalLine {
  t: number;
  type: string;
  data: Record<string, unknown>;
}

export interface RunArtifacts {
  runId: string;
  journal: JournalLine[];
  /** run.json as written by the runner (verdict, load totals, ...). */
  result: { exitCode?: number; verdict?: string; load?: { requests: number; errors: number } } & Record<
    string,
    unknown
  >;
}

/** The single run in a fresh state dir: its journal.jsonl and run.json. */
export function readRun(stateDir: string): RunArtifacts {
  const runs = readdirSync(join(stateDir, "runs"));
  if (runs.length !== 1) throw new Error(`expected one run in ${stateDir}/runs, found ${runs.length}`);
  const runId = runs[0] as string;
  const dir = join(stateDir, "runs", runId);
  const journal = readFileSync(join(dir, "journal.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as JournalLine);
  const result = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as RunArtifacts["result"];
  return { runId, journal, result };
}

export const firstOf = (j: JournalLine[], type: string) => j.find((e) => e.type === type);
export const lastOf = (j: JournalLine[], type: string) => j.findLast((e) => e.type === type);
