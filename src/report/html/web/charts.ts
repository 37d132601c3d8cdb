/// <reference lib="dom" />
import uPlot from "uplot";
import type { RunView, ViewSeries, ViewWindow } from "../../run-view.js";
import { type SeriesData, seriesChart, timeAxis } from "./series-chart.js";

/** Colours shared with the stylesheet: failing red, holding green, faults amber. */
const C = {
  pass: "#1a7f37",
  fail: "#cf222e",
  pending: "#0969da",
  threshold: "#57606a",
  fault: "rgba(212, 160, 23, 0.20)",
  window: "rgba(9, 105, 218, 0.10)",
  abort: "#cf222e",
  rollback: "#8250df",
};

type Shade = { from: number; to: number; fill: string; label?: string; outline?: boolean };
type Line = { at: number; color: string; label: string; top?: boolean };

const rel = (t: number, t0: number) => (t - t0) / 1000;

function endOf(view: RunView): number {
  return view.endedAt ?? Math.max(Date.now(), ...view.load.t, ...view.series.flatMap((s) => s.t));
}

function faultShades(view: RunView): Shade[] {
  const end = endOf(view);
  return view.faults
    .filter((f) => f.start !== undefined)
    .map((f) => ({
      from: rel(f.start as number, view.startedAt),
      to: rel(f.end ?? end, view.startedAt),
      fill: C.fault,
      label: f.name,
    }));
}

function windowShade(view: RunView, w: ViewWindow | undefined): Shade[] {
  if (!w || w.start === undefined) return [];
  const to = w.end ?? endOf(view);
  return [
    {
      from: rel(w.start, view.startedAt),
      to: rel(to, view.startedAt),
      fill: C.window,
      label: "judged",
      outline: true,
    },
  ];
}

function markLines(view: RunView): Line[] {
  const out: Line[] = [];
  if (view.marks.abort !== undefined)
    out.push({ at: rel(view.marks.abort, view.startedAt), color: C.abort, label: "abort" });
  if (view.marks.rollbackStart !== undefined)
    out.push({
      at: rel(view.marks.rollbackStart, view.startedAt),
      color: C.rollback,
      label: "rollback",
      top: true,
    });
  if (view.marks.rollbackEnd !== undefined)
    out.push({ at: rel(view.marks.rollbackEnd, view.startedAt), color: C.rollback, label: "reverted" });
  return out;
}

type Placed = { x0: number; x1: number; row: number; top: boolean };

/**
 * Where a line's label goes: right of the line, or left of it where it would leave the plot, and
 * one row further in while it would overlap a label already drawn (abort, rollback and reverted
 * are often a few pixels apart).
 */
function placeLabel(
  placed: Placed[],
  x: number,
  width: number,
  bbox: { left: number; width: number },
  top: boolean,
): { x: number; row: number } {
  const pad = 4 * devicePixelRatio;
  const x0 = x + pad + width > bbox.left + bbox.width ? x - pad - width : x + pad;
  let row = 0;
  while (placed.some((p) => p.top === top && p.row === row && x0 < p.x1 + pad && x0 + width > p.x0 - pad))
    row++;
  placed.push({ x0, x1: x0 + width, row, top });
  return { x: x0, row };
}

/** uPlot plugin: shaded fault and window bands under the data, abort and rollback lines over it. */
function annotations(get: () => { shades: Shade[]; lines: Line[] }): uPlot.Plugin {
  return {
    hooks: {
      drawClear: [
        (u) => {
          const { ctx } = u;
          const { top, height } = u.bbox;
          ctx.save();
          for (const s of get().shades) {
            const x0 = u.valToPos(s.from, "x", true);
            const x1 = u.valToPos(s.to, "x", true);
            ctx.fillStyle = s.fill;
            const inset = s.outline ? 3 * devicePixelRatio : 0;
            ctx.fillRect(x0, top + inset, Math.max(1, x1 - x0), height - 2 * inset);
            if (s.outline) {
              ctx.strokeStyle = C.pending;
              ctx.lineWidth = 1.5 * devicePixelRatio;
              ctx.setLineDash([5 * devicePixelRatio, 3 * devicePixelRatio]);
              ctx.strokeRect(x0, top + inset, Math.max(1, x1 - x0), height - 2 * inset);
              ctx.setLineDash([]);
            }
            if (s.label) {
              ctx.fillStyle = s.outline ? C.pending : "#7d5a00";
              ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
              ctx.fillText(
                s.label,
                x0 + 4 * devicePixelRatio,
                top + (s.outline ? 30 : 14) * devicePixelRatio,
              );
            }
          }
          ctx.restore();
        },
      ],
      draw: [
        (u) => {
          const { ctx } = u;
          const { top, height } = u.bbox;
          ctx.save();
          ctx.lineWidth = 2 * devicePixelRatio;
          ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
          const placed: Placed[] = [];
          for (const l of get().lines) {
            const x = u.valToPos(l.at, "x", true);
            ctx.strokeStyle = l.color;
            ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            ctx.fillStyle = l.color;
            const at = placeLabel(placed, x, ctx.measureText(l.label).width, u.bbox, !!l.top);
            const y = l.top
              ? top + (46 + 14 * at.row) * devicePixelRatio
              : top + height - (6 + 14 * at.row) * devicePixelRatio;
            ctx.fillText(l.label, at.x, y);
          }
          ctx.restore();
        },
      ],
    },
  };
}

function statusColor(s: ViewSeries): string {
  if (s.status === "passed" || s.status === "held" || s.status === "not triggered") return C.pass;
  if (s.status === "failed" || s.status === "did not hold" || s.status === "triggered") return C.fail;
  return C.pending;
}

function seriesData(view: RunView, s: ViewSeries): SeriesData {
  return { x: s.t.map((t) => rel(t, view.startedAt)), y: s.v.map((v) => (v === null ? null : v)) };
}

export interface LiveChart {
  update(view: RunView): void;
}

function size(el: HTMLElement, height: number) {
  return { width: Math.max(320, el.clientWidth || 600), height };
}

/** One chart per probe: samples, threshold line, faults shaded, the judged window marked. */
export function probeChart(el: HTMLElement, view: RunView, index: number, height = 220): LiveChart {
  let current = view;
  const s = view.series[index] as ViewSeries;
  const get = () => {
    const cur = current.series[index] ?? s;
    return {
      shades: [...faultShades(current), ...windowShade(current, cur.window)],
      lines: markLines(current),
    };
  };
  const chart = seriesChart(el, seriesData(view, s), {
    label: s.label,
    stroke: () => statusColor(current.series[index] ?? s),
    height,
    threshold:
      s.threshold === undefined
        ? undefined
        : { value: s.threshold, label: `threshold (${s.op} ${s.threshold})` },
    xRange: () => [0, rel(endOf(current), current.startedAt)],
    plugins: [annotations(get)],
  });
  return {
    update(next) {
      current = next;
      const cur = next.series[index];
      if (!cur) return;
      chart.update(seriesData(next, cur));
    },
  };
}

function loadData(view: RunView): uPlot.AlignedData {
  const l = view.load;
  return [l.t.map((t) => rel(t, view.startedAt)), l.rps, l.err, l.p50, l.p95, l.p99] as uPlot.AlignedData;
}

/** Throughput, error ratio and p50/p95/p99 of the load generator on one chart, faults shaded. */
export function loadChart(el: HTMLElement, view: RunView, height = 300): LiveChart {
  let current = view;
  const get = () => ({ shades: faultShades(current), lines: markLines(current) });
  const plot = new uPlot(
    {
      ...size(el, height),
      scales: {
        x: { time: false, range: () => [0, rel(endOf(current), current.startedAt)] },
        rps: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
        ms: { range: (_u, _min, max) => [0, Math.max(10, max * 1.1)] },
        ratio: { range: [0, 1] },
      },
      axes: [
        timeAxis(),
        { scale: "rps", label: "req/s ok", size: 60 },
        { scale: "ms", side: 1, label: "latency ms", size: 60, grid: { show: false } },
        {
          scale: "ratio",
          side: 1,
          label: "error ratio",
          size: 50,
          grid: { show: false },
          values: (_u, t) => t.map((v) => `${Math.round(v * 100)}%`),
        },
      ],
      series: [
        {},
        { label: "throughput (req/s ok)", scale: "rps", stroke: "#0969da", width: 2 },
        { label: "error ratio", scale: "ratio", stroke: C.fail, width: 2, fill: "rgba(207,34,46,0.08)" },
        { label: "p50 ms", scale: "ms", stroke: "#6e7781", width: 1.5 },
        { label: "p95 ms", scale: "ms", stroke: "#bf8700", width: 2 },
        { label: "p99 ms", scale: "ms", stroke: "#8250df", width: 1.5, dash: [4, 3] },
      ],
      legend: { live: false },
      plugins: [annotations(get)],
    },
    loadData(view),
    el,
  );
  plot.root.dataset.points = String(view.load.t.length);
  new ResizeObserver(() => plot.setSize(size(el, height))).observe(el);
  return {
    update(next) {
      current = next;
      plot.setData(loadData(next));
      plot.root.dataset.points = String(next.load.t.length);
    },
  };
}

/** Draws every chart of a run section; returns the updater for live views. */
export function drawRun(section: HTMLElement, view: RunView, big = false): LiveChart {
  const charts: LiveChart[] = [];
  const load = section.querySelector<HTMLElement>("[data-chart=load]");
  if (load && view.load.t.length) charts.push(loadChart(load, view, big ? 360 : 300));
  for (const el of section.querySelectorAll<HTMLElement>("[data-chart=series]")) {
    const i = Number(el.dataset.index);
    if (view.series[i]) charts.push(probeChart(el, view, i, big ? 240 : 200));
  }
  return {
    update: (v) => {
      for (const c of charts) c.update(v);
    },
  };
}
