/// <reference lib="dom" />
import { type SeriesChart, type SeriesData, seriesChart } from "../../report/html/web/series-chart.js";
import type { DrillView } from "../drill-session.js";
import { h } from "./dom.js";

type Panel = DrillView["panels"][number];

/** Axis labels in the panel's unit: seconds as ms, ratios as percent, bytes as MiB. */
function formatter(unit: string | undefined): (v: number) => string {
  if (unit === "s") return (v) => (v >= 1 ? `${Math.round(v * 10) / 10}s` : `${Math.round(v * 1000)}ms`);
  if (unit === "ratio") return (v) => `${Math.round(v * 100)}%`;
  if (unit === "bytes") return (v) => `${Math.round(v / 1048576)}M`;
  return (v) => (Math.abs(v) >= 100 ? String(Math.round(v)) : String(Math.round(v * 100) / 100));
}

function data(p: Panel, t0: number): SeriesData {
  return { x: p.points.map(([t]) => (t - t0) / 1000), y: p.points.map(([, v]) => v) };
}

/**
 * The metric dashboards: one chart per panel, the shared series chart of the run reports, redrawn
 * with each poll of the view. The x axis counts from the drill's clock start.
 */
export class Dashboards {
  private readonly charts = new Map<string, SeriesChart>();
  constructor(private readonly box: HTMLElement) {}

  update(panels: Panel[], startedAt: number | null): void {
    const t0 = startedAt ?? panels[0]?.points[0]?.[0] ?? Date.now();
    for (const p of panels) {
      const existing = this.charts.get(p.name);
      if (existing) {
        existing.update(data(p, t0));
        continue;
      }
      if (!p.points.length) continue;
      const el = h("div", { class: "chart" });
      const fig = h("figure", { class: "panel", "data-panel": p.name }, h("figcaption", {}, p.name), el);
      this.box.append(fig);
      this.charts.set(
        p.name,
        seriesChart(el, data(p, t0), {
          label: p.name,
          stroke: "#0969da",
          height: 110,
          yValues: formatter(p.unit),
          points: false,
          xLabel: null,
          yAxisSize: 56,
          minWidth: 160,
          yFromZero: true,
        }),
      );
    }
    this.box.dataset.charts = String(this.charts.size);
  }
}
