import { BODY_LIMITS, readBodyCapped } from "../probes/read-body.js";

export interface FiringAlert {
  alert: string;
  labels: Record<string, string>;
  activeAt?: string | undefined;
}

interface AlertsResponse {
  status?: string;
  data?: { alerts?: { labels?: Record<string, string>; state?: string; activeAt?: string }[] };
}

/**
 * The alerts firing on the target's Prometheus (/api/v1/alerts): whatever rules it has. Each
 * poll returns the alerts that started and stopped firing since the last one.
 */
export class AlertWatcher {
  private firing = new Map<string, FiringAlert>();
  constructor(
    private readonly prometheusUrl: string | undefined,
    private readonly headers: Record<string, string> = {},
  ) {}

  get current(): FiringAlert[] {
    return [...this.firing.values()];
  }

  async poll(): Promise<{ started: FiringAlert[]; resolved: FiringAlert[] }> {
    if (!this.prometheusUrl) return { started: [], resolved: [] };
    let body: AlertsResponse;
    try {
      const res = await fetch(`${this.prometheusUrl}/api/v1/alerts`, {
        signal: AbortSignal.timeout(3000),
        headers: this.headers,
        redirect: "error",
      });
      body = JSON.parse(await readBodyCapped(res, BODY_LIMITS.prometheus)) as AlertsResponse;
    } catch {
      return { started: [], resolved: [] }; // no answer this time: keep what was firing
    }
    const now = new Map<string, FiringAlert>();
    for (const a of body.data?.alerts ?? []) {
      if (a.state !== "firing") continue;
      const labels = Object.fromEntries(
        Object.entries(a.labels ?? {}).filter((e): e is [string, string] => typeof e[1] === "string"),
      );
      const alert = labels.alertname ?? "unnamed";
      const key = JSON.stringify(Object.entries(labels).sort());
      now.set(key, { alert, labels, activeAt: a.activeAt });
    }
    const started = [...now].filter(([k]) => !this.firing.has(k)).map(([, v]) => v);
    const resolved = [...this.firing].filter(([k]) => !now.has(k)).map(([, v]) => v);
    this.firing = now;
    return { started, resolved };
  }
}
