import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { RunStore, RunSummary } from "../interfaces/run-store.js";
import type { RunResult } from "../run/run-result.js";
import { processAlive } from "./process-alive.js";
import { readJournal } from "./read-journal.js";

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Reads run.json when the run finished, else what its journal says (live, or interrupted). */
export function summariseRunDir(dir: string, runId: string): RunSummary | undefined {
  const resultFile = join(dir, "run.json");
  if (existsSync(resultFile)) {
    try {
      const r = JSON.parse(readFileSync(resultFile, "utf8")) as RunResult;
      return {
        runId,
        experiment: r.experiment,
        gameDay: r.gameDay,
        file: r.file,
        target: r.target,
        status: "finished",
        verdict: r.verdict,
        reason: r.reason,
        startedAt: r.startedAt,
        endedAt: r.endedAt,
        dir,
        sources: ["local"],
      };
    } catch {
      // a corrupt run.json: fall back to the journal
    }
  }
  const { events } = readJournal(join(dir, "journal.jsonl"));
  const started = events.find((e) => e.type === "run.started");
  if (!started) return undefined;
  const d = started.data as Record<string, unknown>;
  const finished = events.find((e) => e.type === "run.finished");
  const pid = typeof d.pid === "number" ? d.pid : undefined;
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  // A live drill's run names its hidden scenario (faults, toxics): responders who open the console
  // or `gameday runs` must not see it before the drill ends (run.json then lists it as any run).
  if (str(d.drill) && !finished && processAlive(pid)) return undefined;
  const f = finished?.data as Record<string, unknown> | undefined;
  return {
    runId,
    experiment: str(d.experiment) ?? "(unknown)",
    gameDay: str(d.gameDay),
    file: str(d.file),
    target: str(d.target),
    status: finished ? "finished" : processAlive(pid) ? "running" : "interrupted",
    verdict: f ? (str(f.verdict) as RunSummary["verdict"]) : undefined,
    reason: f ? str(f.reason) : undefined,
    startedAt: started.t,
    endedAt: finished?.t ?? events.at(-1)?.t,
    dir,
    sources: ["local"],
    queueRun: str(d.queueRun),
    pid,
  };
}

/** The state folder's runs/<id>/ folders: inline `gameday run`s and this machine's workers. */
export class LocalRunStore implements RunStore {
  readonly runsDir: string;

  constructor(stateDir: string) {
    this.runsDir = join(stateDir, "runs");
  }

  async list(): Promise<RunSummary[]> {
    if (!existsSync(this.runsDir)) return [];
    const out: RunSummary[] = [];
    for (const id of readdirSync(this.runsDir)) {
      const dir = join(this.runsDir, id);
      if (!RUN_ID.test(id) || !statSync(dir).isDirectory()) continue;
      const s = summariseRunDir(dir, id);
      if (s) out.push(s);
    }
    return out.sort((a, b) => b.startedAt - a.startedAt);
  }

  async get(runId: string): Promise<RunSummary | undefined> {
    if (!RUN_ID.test(runId)) return undefined;
    const dir = join(this.runsDir, runId);
    return existsSync(dir) ? summariseRunDir(dir, runId) : undefined;
  }
}
