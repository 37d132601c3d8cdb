import type { RunSummary } from "../../interfaces/run-store.js";
import { esc } from "../../report/html/escape-html.js";
import { clockText } from "../../report/time-text.js";

export interface HistoryFilter {
  experiment?: string | undefined;
  gameDay?: string | undefined;
  verdict?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const day = (s: string | undefined, end: boolean) => {
  if (!s) return undefined;
  const t = Date.parse(end ? `${s}T23:59:59.999Z` : `${s}T00:00:00Z`);
  return Number.isNaN(t) ? undefined : t;
};

export function filterRuns(runs: RunSummary[], f: HistoryFilter): RunSummary[] {
  const from = day(f.from, false);
  const to = day(f.to, true);
  return runs.filter(
    (r) =>
      (!f.experiment || r.experiment === f.experiment) &&
      (!f.gameDay || r.gameDay === f.gameDay) &&
      (!f.verdict || (r.status === "finished" ? r.verdict : r.status) === f.verdict) &&
      (from === undefined || r.startedAt >= from) &&
      (to === undefined || r.startedAt <= to),
  );
}

const clock = clockText;

function select(name: string, label: string, values: string[], current: string | undefined): string {
  return `<label>${label}<select name="${name}"><option value="">all</option>${values
    .map((v) => `<option${v === current ? " selected" : ""}>${esc(v)}</option>`)
    .join("")}</select></label>`;
}

/** The run history, local and Redis, with filters that are plain query parameters (bookmarkable). */
export function historyBody(all: RunSummary[], f: HistoryFilter): string {
  const uniq = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))].sort();
  const runs = filterRuns(all, f);
  const form = `<form class="filters" method="get" action="/runs">
${select("experiment", "experiment", uniq(all.map((r) => r.experiment)), f.experiment)}
${select("gameDay", "game day", uniq(all.map((r) => r.gameDay)), f.gameDay)}
${select("verdict", "verdict", ["passed", "failed", "aborted", "not-run", "error", "running", "interrupted"], f.verdict)}
<label>from<input type="date" name="from" value="${esc(f.from ?? "")}"></label>
<label>to<input type="date" name="to" value="${esc(f.to ?? "")}"></label>
<button type="submit">Filter</button> <a href="/runs">clear</a></form>`;
  const rows = runs.map((r) => {
    const v = r.status === "finished" ? (r.verdict ?? "unknown") : r.status;
    const took = r.endedAt ? `${((r.endedAt - r.startedAt) / 1000).toFixed(1)} s` : "";
    return `<tr data-run="${esc(r.runId)}"><td><a href="/runs/${encodeURIComponent(r.runId)}">${esc(r.runId)}</a></td><td><a href="/trends?experiment=${encodeURIComponent(r.experiment)}">${esc(r.experiment)}</a></td><td>${r.gameDay ? `<a href="/trends?gameDay=${encodeURIComponent(r.gameDay)}">${esc(r.gameDay)}</a>` : ""}</td><td class="v-${esc(v)}">${esc(v)}</td><td>${clock(r.startedAt)}</td><td>${took}</td><td>${esc(r.sources.join(" + "))}</td><td>${esc(r.reason ?? "")}</td></tr>`;
  });
  return `<h1>Run history</h1>${form}<p>${runs.length} of ${all.length} runs.</p>
${rows.length ? `<table class="grid history"><thead><tr><th>run</th><th>experiment</th><th>game day</th><th>verdict</th><th>started</th><th>took</th><th>from</th><th>reason</th></tr></thead><tbody>${rows.join("")}</tbody></table>` : `<div class="empty">No run matches.</div>`}`;
}
