import { SERVICE_NAMES } from "../../sandbox-services/lib/topology.js";
import type { PrometheusClient } from "../probes/prometheus-client.js";
import type { Panel } from "./drill-schema.js";

/** The sandbox's standard dashboard: what any on-call engineer of this system would have. */
export function standardPanels(): Panel[] {
  const panels: Panel[] = [];
  for (const s of SERVICE_NAMES) {
    panels.push({
      name: `${s} p99 latency`,
      unit: "s",
      promql: `histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{service="${s}"}[15s])))`,
    });
    panels.push({
      name: `${s} 5xx ratio`,
      unit: "ratio",
      promql: `(sum(rate(http_server_requests_total{service="${s}",status=~"5.."}[15s])) or vector(0)) / clamp_min(sum(rate(http_server_requests_total{service="${s}"}[15s])), 1e-9)`,
    });
    panels.push({
      name: `${s} requests/s`,
      unit: "req/s",
      promql: `sum(rate(http_server_requests_total{service="${s}"}[15s]))`,
    });
    panels.push({
      name: `${s} resident memory`,
      unit: "bytes",
      promql: `max(process_resident_memory_bytes{service="${s}"})`,
    });
  }
  for (const s of ["gateway", "orders", "payments"]) {
    panels.push({
      name: `${s} dependency timeouts/s`,
      unit: "1/s",
      promql: `sum(rate(dependency_timeouts_total{service="${s}"}[15s]))`,
    });
    panels.push({ name: `${s} dependency in flight`, promql: `sum(dependency_in_flight{service="${s}"})` });
  }
  panels.push({
    name: "payments retries/s",
    unit: "1/s",
    promql: `sum(rate(dependency_retries_total{service="payments"}[15s]))`,
  });
  panels.push({
    name: "orders breaker state (0 closed, 2 open)",
    promql: `max(circuit_breaker_state{service="orders"})`,
  });
  panels.push({
    name: "orders fallbacks/s",
    unit: "1/s",
    promql: `sum(rate(fallback_total{service="orders"}[15s]))`,
  });
  return panels;
}

export interface PanelSeries {
  name: string;
  unit?: string | undefined;
  points: [number, number | null][];
}

/** Samples every panel each tick and keeps a bounded history for the view's charts and the report. */
export class PanelSampler {
  readonly series: PanelSeries[];
  constructor(
    private readonly panels: Panel[],
    private readonly prometheus: PrometheusClient | undefined,
    private readonly maxPoints = 900,
  ) {
    this.series = panels.map((p) => ({ name: p.name, ...(p.unit ? { unit: p.unit } : {}), points: [] }));
  }

  async sample(now: number): Promise<void> {
    const values = await Promise.all(
      this.panels.map((p) =>
        this.prometheus
          ? this.prometheus.instant(p.promql, now).catch(() => undefined)
          : Promise.resolve(undefined),
      ),
    );
    values.forEach((v, i) => {
      const s = this.series[i];
      if (!s) return;
      s.points.push([now, v === undefined || !Number.isFinite(v) ? null : v]);
      if (s.points.length > this.maxPoints) s.points.shift();
    });
  }
}
