import type { LOAD_METRICS } from "../experiment/metric-schema.js";
import type { TimeWindow } from "../interfaces/metric-source.js";

export type LoadMetric = (typeof LOAD_METRICS)[number];

/**
 * Client-side outcomes of the built-in load generator, kept as parallel arrays (completion time,
 * latency, ok) because a 60 s run at 200 rps is only 12k entries and windows are re-read often.
 */
export class LoadStatistics {
  private readonly done: number[] = [];
  private readonly latency: number[] = [];
  private readonly ok: boolean[] = [];

  record(completedAt: number, latencyMs: number, ok: boolean): void {
    this.done.push(completedAt);
    this.latency.push(latencyMs);
    this.ok.push(ok);
  }

  /** Index of the first entry completed at or after t (entries arrive nearly in order). */
  private lowerBound(t: number): number {
    let lo = 0;
    let hi = this.done.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.done[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Requests and errors completed in a window, without copying anything. */
  counts(window: TimeWindow): { requests: number; errors: number } {
    const from = this.lowerBound(window.start);
    const to = this.lowerBound(window.end + 1);
    let errors = 0;
    for (let i = from; i < to; i++) if (!this.ok[i]) errors++;
    return { requests: to - from, errors };
  }

  private latencies(window: TimeWindow): number[] {
    return this.latency.slice(this.lowerBound(window.start), this.lowerBound(window.end + 1));
  }

  /** One figure over a window; undefined when the window saw no request. */
  metric(metric: LoadMetric, window: TimeWindow): number | undefined {
    const { requests, errors } = this.counts(window);
    if (metric === "requests") return requests;
    const seconds = Math.max(0.001, (window.end - window.start) / 1000);
    if (metric === "throughput") return (requests - errors) / seconds;
    if (requests === 0) return undefined;
    if (metric === "errorRatio") return errors / requests;
    if (metric === "successRatio") return (requests - errors) / requests;
    const q = metric === "p50" ? 0.5 : metric === "p95" ? 0.95 : 0.99;
    const latencies = this.latencies(window).sort((a, b) => a - b);
    return latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)];
  }
}
