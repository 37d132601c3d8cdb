import type { RunStore, RunSummary } from "../interfaces/run-store.js";

/** Several stores as one: a run found in more than one keeps the first's fields and every source. */
export class CombinedRunStore implements RunStore {
  constructor(private readonly stores: RunStore[]) {}

  async list(): Promise<RunSummary[]> {
    const byId = new Map<string, RunSummary>();
    for (const store of this.stores) {
      for (const r of await store.list()) {
        const seen = byId.get(r.runId);
        if (!seen) byId.set(r.runId, { ...r, sources: [...r.sources] });
        else {
          for (const s of r.sources) if (!seen.sources.includes(s)) seen.sources.push(s);
          seen.queueRun ??= r.queueRun;
          seen.gameDay ??= r.gameDay;
          seen.dir ??= r.dir;
        }
      }
    }
    return [...byId.values()].sort((a, b) => b.startedAt - a.startedAt);
  }

  async get(runId: string): Promise<RunSummary | undefined> {
    for (const store of this.stores) {
      const r = await store.get(runId);
      if (r) return r;
    }
    return undefined;
  }
}
