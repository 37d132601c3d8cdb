import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { InfrastructureError } from "../errors/gameday-error.js";
import { BODY_LIMITS, readBodyCapped } from "./read-body.js";

export type Aggregate = "sum" | "max" | "min" | "avg";

/** Reads one metric straight from a /metrics endpoint, for setups without a Prometheus server. */
export class MetricsScraper {
  /** `headers`: the target's scrapeAuth, read once. */
  constructor(private readonly headers: Record<string, string> = {}) {}

  async read(
    url: string,
    metric: string,
    labels: Record<string, string>,
    aggregate: Aggregate,
  ): Promise<number | undefined> {
    let text: string;
    try {
      const res = await fetch(url, {
        signal: AbortSignal.timeout(3000),
        headers: this.headers,
        redirect: "error",
      });
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new Error(`HTTP ${res.status}`);
      }
      text = await readBodyCapped(res, BODY_LIMITS.scrape);
    } catch (err) {
      throw new InfrastructureError(`scrape of ${url} failed: ${(err as Error).message}`, { cause: err });
    }
    // Histograms are addressed by their series names: foo_count, foo_sum.
    const base = metric.replace(/_(count|sum)$/, "");
    const suffix = metric.slice(base.length);
    const values: number[] = [];
    for (const family of parsePrometheusTextFormat(text)) {
      if (family.name !== metric && family.name !== base) continue;
      for (const s of family.metrics) {
        const l = s.labels ?? {};
        if (!Object.entries(labels).every(([k, v]) => l[k] === v)) continue;
        const raw = family.name === metric ? s.value : suffix === "_count" ? s.count : s.sum;
        if (raw !== undefined) values.push(Number(raw));
      }
    }
    if (values.length === 0) return undefined;
    // reduce, not Math.max(...values): a huge exposition must not overflow the stack.
    if (aggregate === "max") return values.reduce((a, b) => Math.max(a, b));
    if (aggregate === "min") return values.reduce((a, b) => Math.min(a, b));
    const sum = values.reduce((a, b) => a + b, 0);
    return aggregate === "avg" ? sum / values.length : sum;
  }
}
