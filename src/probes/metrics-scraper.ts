import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { InfrastructureError } from "../errors/gameday-error.js";

export type Aggregate = "sum" | "max" | "min" | "avg";

/** Reads one metric straight from a /metrics endpoint, for setups without a Prometheus server. */
export class MetricsScraper {
  async read(
    url: string,
    metric: string,
    labels: Record<string, string>,
    aggregate: Aggregate,
  ): Promise<number | undefined> {
    let text: string;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      text = await res.text();
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
    if (aggregate === "max") return Math.max(...values);
    if (aggregate === "min") return Math.min(...values);
    const sum = values.reduce((a, b) => a + b, 0);
    return aggregate === "avg" ? sum / values.length : sum;
  }
}
