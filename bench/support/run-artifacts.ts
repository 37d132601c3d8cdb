import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Journal } from "../../src/run/journal.js";
import type { JournalEvent } from "../../src/run/journal-schema.js";

interface RunArtifacts {
  runId: string;
  journal: JournalEvent[];
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
  const journal = Journal.read(join(dir, "journal.jsonl"));
  const result = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as RunArtifacts["result"];
  return { runId, journal, result };
}
