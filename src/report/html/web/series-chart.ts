/// <reference lib="dom" />
import uPlot from "uplot";

/** One line over time: x in seconds since a start, y with gaps (null) where nothing was sampled. */
export interface SeriesData {
  x: number[];
  y: (number | null)[];
}

export interface SeriesChartOptions {
  label: string;
  /** A function when the colour follows a status that changes while the chart is live. */
  stroke: string | (() => string);
  height: number;
  /** A dashed horizontal line: an expectation's threshold. */
  threshold?: { value: number; label: string } | undefined;
  /** The x range in seconds; the data's own extent when omitted. */
  xRange?: (() => [number, number]) | undefined;
  /** Formats y values (a unit: "120 ms", "4%"). */
  yValues?: ((v: number) => string) | undefined;
  plugins?: uPlot.Plugin[] | undefined;
  points?: boolean | undefined;
  /** The x axis' title; null for none (small dashboard panels, where the caption says enough). */
  xLabel?: string | null | undefined;
  /** Room for the y axis' tick labels, in px. */
  yAxisSize?: number | undefined;
  /** The narrowest the chart gets, in px (a report's probe chart stays readable on a phone). */
  minWidth?: number | undefined;
  /** A y axis from 0 (counts, rates, ratios), so a small panel's ticks are never all off its data. */
  yFromZero?: boolean | undefined;
}

export interface SeriesChart {
  update(data: SeriesData): void;
  readonly plot: uPlot;
}

const fmtT = (s: number) =>
  `${s < 0 ? "-" : ""}${Math.floor(Math.abs(s) / 60)}:${String(Math.floor(Math.abs(s) % 60)).padStart(2, "0")}`;

/** The x axis of every chart: time since the start, as m:ss (tenths of a second when zoomed in). */
export const timeAxis = (label: string | null = "time since start (m:ss)"): uPlot.Axis => ({
  values: (_u, ticks, _space, _i, incr) => ticks.map((t) => (incr < 1 ? `${t.toFixed(1)}s` : fmtT(t))),
  ...(label === null ? {} : { label }),
});

function size(el: HTMLElement, height: number, minWidth: number) {
  return { width: Math.max(minWidth, el.clientWidth || 600), height };
}

function aligned(data: SeriesData, threshold: number | undefined): uPlot.AlignedData {
  const th = threshold === undefined ? [] : [data.x.map(() => threshold)];
  return [data.x, data.y, ...th] as uPlot.AlignedData;
}

/**
 * The one time-series chart of gameday's pages: a run report's probe, the console's live run and
 * a drill's dashboard panel are all this uPlot line (plus an optional threshold line), sized to
 * its box and redrawn on resize. `data-points` on its root says how many samples it shows.
 */
export function seriesChart(el: HTMLElement, data: SeriesData, o: SeriesChartOptions): SeriesChart {
  const threshold = o.threshold?.value;
  const series: uPlot.Series[] = [
    {},
    {
      label: o.label,
      stroke: typeof o.stroke === "string" ? o.stroke : () => (o.stroke as () => string)(),
      width: 2,
      points: { show: o.points ?? true, size: 5 },
      spanGaps: false,
    },
  ];
  if (o.threshold)
    series.push({
      label: o.threshold.label,
      stroke: "#57606a",
      dash: [8, 6],
      width: 1.5,
      points: { show: false },
    });
  const yAxis: uPlot.Axis = { size: o.yAxisSize ?? 60 };
  if (o.yValues) {
    const f = o.yValues;
    yAxis.values = (_u, ticks) => ticks.map((v) => f(v));
  }
  const plot = new uPlot(
    {
      ...size(el, o.height, o.minWidth ?? 320),
      scales: {
        x: { time: false, ...(o.xRange ? { range: o.xRange } : {}) },
        ...(o.yFromZero
          ? {
              y: {
                range: (_u: uPlot, _min: number, max: number): uPlot.Range.MinMax => [
                  0,
                  max > 0 ? max * 1.1 : 1,
                ],
              },
            }
          : {}),
      },
      axes: [timeAxis(o.xLabel), yAxis],
      series,
      legend: { live: false },
      plugins: o.plugins ?? [],
    },
    aligned(data, threshold),
    el,
  );
  plot.root.dataset.points = String(data.x.length);
  new ResizeObserver(() => plot.setSize(size(el, o.height, o.minWidth ?? 320))).observe(el);
  return {
    plot,
    update(next) {
      // A status-driven stroke: uPlot keeps a series' stroke until the series is set again.
      if (typeof o.stroke !== "string") {
        const stroke = o.stroke;
        plot.setSeries(1, {});
        (plot.series[1] as uPlot.Series).stroke = () => stroke();
      }
      plot.setData(aligned(next, threshold));
      plot.root.dataset.points = String(next.x.length);
    },
  };
}
