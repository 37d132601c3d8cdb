import type { OutboundRequest } from "./delivery.js";
import { NotifierReporter } from "./notifier-reporter.js";
import type { NotifyEvent } from "./notify-event.js";

/** The body of Grafana's POST /api/annotations: a region from time to timeEnd (epoch ms). */
export interface GrafanaAnnotation {
  dashboardUID?: string;
  time: number;
  timeEnd: number;
  tags: string[];
  text: string;
}

/**
 * One Grafana region annotation per fault window, posted when the fault is verified reverted (or,
 * for a fault never verified reverted, at the verdict, ending there and saying so). Organisation-
 * wide unless the target names a dashboard.
 */
export class GrafanaAnnotationReporter extends NotifierReporter {
  private readonly open = new Map<string, { time: number; description: string }>();

  protected requests(event: NotifyEvent): OutboundRequest[] {
    const d = event.data;
    const at = Date.parse(event.time);
    if (event.event === "fault.injected") {
      this.open.set(String(d.fault), { time: at, description: String(d.description ?? "") });
      return [];
    }
    if (event.event === "fault.reverted") {
      const fault = String(d.fault);
      const window = this.open.get(fault);
      this.open.delete(fault);
      if (!window) return [];
      return [this.annotation(event, fault, window.time, at, window.description)];
    }
    if (event.event === "verdict") {
      const out = [...this.open].map(([fault, w]) =>
        this.annotation(event, fault, w.time, at, `${w.description} — NOT verified reverted`),
      );
      this.open.clear();
      return out;
    }
    return [];
  }

  private annotation(
    event: NotifyEvent,
    fault: string,
    time: number,
    timeEnd: number,
    description: string,
  ): OutboundRequest {
    const body: GrafanaAnnotation = {
      ...(this.opts.dashboardUID ? { dashboardUID: this.opts.dashboardUID } : {}),
      time,
      timeEnd,
      tags: [...new Set(["gameday", `experiment:${event.experiment}`, `fault:${fault}`, ...this.opts.tags])],
      text: `gameday fault ${fault} in ${event.experiment} (run ${event.runId}, target ${event.target}): ${description}`,
    };
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    return {
      url: new URL("api/annotations", withSlash(this.opts.url)).href,
      headers,
      body: JSON.stringify(body),
    };
  }
}

/** So a Grafana served under a sub-path (https://host/grafana) keeps it. */
const withSlash = (url: string) => (url.endsWith("/") ? url : `${url}/`);
