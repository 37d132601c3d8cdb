import type { ActiveAlert, PrometheusClient } from "../probes/prometheus-client.js";

export interface FiringAlert {
  alert: string;
  labels: Record<string, string>;
  activeAt?: string | undefined;
}

/**
 * The alerts firing on the target's Prometheus (/api/v1/alerts): whatever rules it has. Each
 * poll returns the alerts that started and stopped firing since the last one.
 */
export class AlertWatcher {
  private firing = new Map<string, FiringAlert>();
  constructor(private readonly prometheus: PrometheusClient | undefined) {}

  get current(): FiringAlert[] {
    return [...this.firing.values()];
  }

  async poll(): Promise<{ started: FiringAlert[]; resolved: FiringAlert[] }> {
    if (!this.prometheus) return { started: [], resolved: [] };
    let active: ActiveAlert[];
    try {
      active = await this.prometheus.alerts(3000);
    } catch {
      return { started: [], resolved: [] }; // no answer this time: keep what was firing
    }
    const now = new Map<string, FiringAlert>();
    for (const { labels, state, activeAt } of active) {
      if (state !== "firing") continue;
      const alert = labels.alertname ?? "unnamed";
      const key = JSON.stringify(Object.entries(labels).sort());
      now.set(key, {
        alert,
        labels,
        activeAt: activeAt === undefined ? undefined : new Date(activeAt).toISOString(),
      });
    }
    const started = [...now].filter(([k]) => !this.firing.has(k)).map(([, v]) => v);
    const resolved = [...this.firing].filter(([k]) => !now.has(k)).map(([, v]) => v);
    this.firing = now;
    return { started, resolved };
  }
}
