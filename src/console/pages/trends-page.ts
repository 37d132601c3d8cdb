import type { RunSummary } from "../../interfaces/run-store.js";
import { esc } from "../../report/html/escape-html.js";
import { formatFigure } from "../../report/html/run-section.js";
import type { RunView } from "../../report/run-view.js";

export interface TrendData {
  id: string;
  title: string;
  t: number[];
  runs: string[];
  verdicts: (string | undefined)[];
  figures: { key: string; label: string; unit: string; values: (number | null)[] }[];
}

/** Key figures of each run of one experiment, oldest first: one column per run, one row per figure. */
export function trendOf(id: string, title: string, views: RunView[]): TrendData {
  const sorted = [...views].sort((a, b) => a.startedAt - b.startedAt);
  const keys = new Map<string, { label: string; unit: string }>();
  for (const v of sorted) for (const f of v.figures) if (!keys.has(f.key)) keys.set(f.key, f);
  return {
    id,
    title,
    t: sorted.map((v) => v.startedAt),
    runs: sorted.map((v) => v.runId),
    verdicts: sorted.map((v) => v.verdict),
    figures: [...keys].map(([key, f]) => ({
      key,
      label: f.label,
      unit: f.unit,
      values: sorted.map((v) => v.figures.find((x) => x.key === key)?.value ?? null),
    })),
  };
}

const date = (t: number) => new Date(t).toISOString().slice(0, 16).replace("T", " ");

function trendBlock(d: TrendData): string {
  const head = d.t
    .map(
      (t, i) =>
        `<th><a href="/runs/${encodeURIComponent(d.runs[i] ?? "")}">${date(t)}</a><br><span class="st st-${esc(d.verdicts[i] ?? "")}">${esc(d.verdicts[i] ?? "?")}</span></th>`,
    )
    .join("");
  const rows = d.figures
    .map(
      (f) =>
        `<tr><td>${esc(f.label)}</td>${f.values.map((v) => `<td>${formatFigure({ value: v ?? undefined, unit: f.unit })}</td>`).join("")}</tr>`,
    )
    .join("");
  const units = [...new Set(d.figures.map((f) => f.unit))];
  return `<section class="run trend" data-trend="${esc(d.id)}"><h2>${esc(d.title)}</h2><p>${d.t.length} finished run${d.t.length === 1 ? "" : "s"}.</p>
<div class="series-grid">${units.map((u) => `<figure class="chart-card"><figcaption>${u === "ms" ? "times (ms)" : u === "ratio" ? "error ratios" : "amplification"}</figcaption><div class="chart" data-trend-chart="${esc(d.id)}" data-unit="${esc(u)}"></div></figure>`).join("")}</div>
<div style="overflow-x:auto"><table class="grid"><thead><tr><th>figure</th>${head}</tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

export function trendsIndex(runs: RunSummary[]): string {
  const uniq = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))].sort();
  const list = (param: string, xs: string[]) =>
    xs.length
      ? `<ul>${xs.map((x) => `<li><a href="/trends?${param}=${encodeURIComponent(x)}">${esc(x)}</a></li>`).join("")}</ul>`
      : `<p class="muted">none yet</p>`;
  return `<h1>Trends</h1><div class="run"><h2>Experiments</h2>${list("experiment", uniq(runs.map((r) => r.experiment)))}<h2>Game days</h2>${list("gameDay", uniq(runs.map((r) => r.gameDay)))}</div>`;
}

export function trendsBody(title: string, trends: TrendData[]): string {
  if (!trends.length || trends.every((t) => !t.t.length))
    return `<h1>${esc(title)}</h1><div class="empty">No finished run yet.</div>`;
  return `<h1>${esc(title)}</h1>${trends.map(trendBlock).join("")}`;
}
