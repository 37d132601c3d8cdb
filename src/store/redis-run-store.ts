import { existsSync } from "node:fs";
import type { RunStore, RunSummary } from "../interfaces/run-store.js";
import type { RunHistory } from "../queue/run-history.js";
import type { RunRecord } from "../queue/run-record.js";

/** Each experiment of the queue's run records, as one run. */
function flatten(r: RunRecord): RunSummary[] {
  return r.experiments.map((e) => ({
    runId: e.runId,
    experiment: e.experiment,
    gameDay: r.kind === "suite" ? r.name : undefined,
    file: e.file,
    target: e.target,
    status: "finished",
    verdict: e.verdict,
    reason: e.reason,
    startedAt: e.startedAt,
    endedAt: e.endedAt,
    dir: existsSync(e.artifactsDir) ? e.artifactsDir : undefined,
    sources: ["redis"],
    queueRun: r.id,
  }));
}

/** Experiment runs recorded by queue workers in Redis. */
export class RedisRunStore implements RunStore {
  constructor(
    private readonly history: RunHistory,
    private readonly limit = 500,
  ) {}

  async records(limit = this.limit): Promise<RunRecord[]> {
    return this.history.list(limit);
  }

  async list(): Promise<RunSummary[]> {
    return (await this.records()).flatMap(flatten).sort((a, b) => b.startedAt - a.startedAt);
  }

  async get(runId: string): Promise<RunSummary | undefined> {
    return (await this.list()).find((r) => r.runId === runId);
  }
}
