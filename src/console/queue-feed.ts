import { QueueEvents } from "bullmq";
import type { RunSummary } from "../interfaces/run-store.js";
import type { ProgressMessage } from "../queue/progress-message.js";
import type { QueueConfig } from "../queue/queue-config.js";
import { redisClient } from "../queue/redis-connection.js";
import { esc } from "../report/html/escape-html.js";
import type { ProgressSnapshot } from "../run/run-context.js";

const STALE_MS = 10_000;

/**
 * Live runs of queue workers from the Redis progress channel (bullmq QueueEvents): phase, active
 * faults and expectation states, for runs whose folder is on another machine.
 */
export class QueueFeed {
  private readonly latest = new Map<string, { snapshot: ProgressSnapshot; at: number; jobId: string }>();
  private readonly events: QueueEvents;

  constructor(q: QueueConfig) {
    const connection = redisClient(q.url);
    connection.on("error", () => {});
    this.events = new QueueEvents(q.keys.queueName, { connection, prefix: q.prefix });
    this.events.on("error", () => {});
    this.events.on("progress", ({ jobId, data }) => {
      const m = data as unknown as ProgressMessage;
      if (m?.type === "snapshot")
        this.latest.set(m.snapshot.runId, { snapshot: m.snapshot, at: Date.now(), jobId });
      if (m?.type === "run-end") this.latest.delete(m.result.runId);
    });
  }

  /** Connected and reading (a lazy connection only connects when asked to be ready). */
  static async start(q: QueueConfig): Promise<QueueFeed> {
    const feed = new QueueFeed(q);
    await feed.events.waitUntilReady();
    return feed;
  }

  remoteRuns(exclude: Set<string>): { snapshot: ProgressSnapshot; jobId: string }[] {
    const now = Date.now();
    return [...this.latest.values()].filter((r) => now - r.at < STALE_MS && !exclude.has(r.snapshot.runId));
  }

  /** A live remote run as a summary (for the abort), or undefined. */
  summary(runId: string): RunSummary | undefined {
    const r = this.remoteRuns(new Set()).find((x) => x.snapshot.runId === runId);
    if (!r) return undefined;
    return {
      runId,
      experiment: r.snapshot.experiment,
      status: "running",
      startedAt: Date.now() - r.snapshot.elapsedMs,
      sources: ["redis"],
      queueRun: r.jobId,
    };
  }

  renderCard(r: { snapshot: ProgressSnapshot; jobId: string }): string {
    const s = r.snapshot;
    const url = `/api/runs/${encodeURIComponent(s.runId)}/abort`;
    const mmss = (ms: number) =>
      `${Math.floor(ms / 60000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, "0")}`;
    return `<section class="run" data-remote-run="${esc(s.runId)}"><header class="run-head"><h2>${esc(s.experiment)}</h2><span class="muted">queue run ${esc(r.jobId)} · on a worker</span><div><button class="abort" data-abort="${esc(url)}" data-name="${esc(s.experiment)}">Abort and roll back</button><div class="abort-result" data-abort-result="${esc(url)}" role="status"></div></div></header>
<div class="verdict v-running"><span class="badge">RUNNING · ${esc(s.phase)}</span><span class="reason">${mmss(s.elapsedMs)} of ${mmss(s.plannedMs)}; active faults: ${esc(s.activeFaults.join(", ") || "none")}</span></div>
<table class="grid"><tbody>${s.expectations.map((e) => `<tr><td>${esc(e.name)}</td><td><span class="st st-${esc(e.status)}">${esc(e.status)}</span></td></tr>`).join("")}</tbody></table></section>`;
  }

  async close(): Promise<void> {
    await this.events.close().catch(() => {});
  }
}
