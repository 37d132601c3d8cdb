import { parametersText } from "../parameters-text.js";
import type { KeyFigure, RunView } from "../run-view.js";
import { clockText } from "../time-text.js";
import { esc } from "./escape-html.js";

const VERDICT_LABEL: Record<string, string> = {
  passed: "PASSED",
  failed: "FAILED",
  aborted: "ABORTED",
  "not-run": "NOT RUN",
  error: "ERROR",
};

const clock = clockText;
const rel = (t: number, t0: number) => {
  const s = Math.max(0, (t - t0) / 1000);
  return `+${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, "0")}`;
};

export function formatFigure(f: Pick<KeyFigure, "value" | "unit">): string {
  if (f.value === undefined) return "–";
  if (f.unit === "ratio") return `${(f.value * 100).toFixed(2)}%`;
  if (f.unit === "ms")
    return f.value >= 10_000 ? `${(f.value / 1000).toFixed(1)} s` : `${Math.round(f.value)} ms`;
  if (f.unit === "x") return `${f.value.toFixed(2)}×`;
  return String(f.value);
}

function verdictPart(v: RunView): string {
  const verdict = v.status === "running" ? "running" : (v.verdict ?? v.status);
  const label =
    v.status === "running" ? `RUNNING · ${v.phase}` : (VERDICT_LABEL[verdict] ?? verdict.toUpperCase());
  const took = v.endedAt ? `${((v.endedAt - v.startedAt) / 1000).toFixed(1)} s` : "";
  return `<div class="verdict v-${esc(verdict)}" data-verdict="${esc(verdict)}"><span class="badge">${esc(label)}</span>
<span class="reason">${esc(v.reason ?? (v.status === "running" ? `phase ${v.phase}; active faults: ${v.activeFaults.join(", ") || "none"}` : ""))}</span></div>
${
  v.status === "running"
    ? `<ul class="chips">${v.series
        .filter((s) => s.group === "expect")
        .map(
          (s) =>
            `<li class="chip st-${esc(s.status.replace(/ /g, "-"))}">${s.status === "passed" ? "✓" : s.status === "failed" ? "✗" : "…"} ${esc(s.label)}</li>`,
        )
        .join("")}</ul>`
    : ""
}
<dl class="facts"><div><dt>run</dt><dd><code>${esc(v.runId)}</code></dd></div><div><dt>started</dt><dd>${esc(clock(v.startedAt))}</dd></div>${took ? `<div><dt>took</dt><dd>${took}</dd></div>` : ""}<div><dt>target</dt><dd>${esc(v.target ?? "-")}</dd></div>${v.parameters ? `<div><dt>parameters</dt><dd>${esc(parametersText(v.parameters) ?? "")}</dd></div>` : ""}${v.gameDay ? `<div><dt>game day</dt><dd>${esc(v.gameDay)}</dd></div>` : ""}${v.loadTotals ? `<div><dt>load</dt><dd>${v.loadTotals.requests} requests, ${v.loadTotals.errors} errors</dd></div>` : ""}</dl>
${v.remaining.length ? `<div class="remaining"><strong>May remain injected:</strong><ul>${v.remaining.map((r) => `<li>${esc(r)}</li>`).join("")}</ul>Run <code>gameday recover</code>.</div>` : ""}`;
}

function problemsPart(v: RunView): string {
  if (!v.problems.length) return "";
  return `<div class="problems" role="alert"><strong>Not everything could be read:</strong><ul>${v.problems.map((p) => `<li>${esc(p)}</li>`).join("")}</ul></div>`;
}

const statusCell = (s: string) =>
  `<span class="st st-${esc(s.replace(/ /g, "-"))}">${s === "passed" || s === "held" || s === "not triggered" ? "✓" : s === "pending" ? "…" : s === "not evaluated" ? "–" : "✗"} ${esc(s)}</span>`;

function expectationsPart(v: RunView): string {
  const rows = v.series
    .filter((s) => s.group !== "abort")
    .map(
      (s) =>
        `<tr><td>${esc(s.label)}</td><td>${esc(s.group === "steady" ? "steady state (before and after)" : (s.semantics ?? describeWindow(s)))}</td><td>${statusCell(s.status)}</td><td>${esc(s.summary ?? lastValue(s))}</td></tr>`,
    );
  if (!rows.length) return "<p>No expectations declared.</p>";
  return `<table class="grid"><thead><tr><th>expectation</th><th>semantics</th><th>result</th><th>observed</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function describeWindow(s: RunView["series"][number]): string {
  const where = s.during ? `during ${s.during}` : "during the method";
  if (s.check) return `${s.check} ${where}`;
  if (s.within !== undefined) return `within ${s.within / 1000} s ${where}`;
  if (s.at === "end") return "at the end of the method";
  if (s.recoveredWithin !== undefined) return `recovered within ${s.recoveredWithin / 1000} s after rollback`;
  return `always ${where}`;
}

function lastValue(s: RunView["series"][number]): string {
  const last = s.v.findLast((x) => x !== null);
  return last === undefined || last === null
    ? "no data yet"
    : `last ${last}${s.threshold !== undefined ? ` (want ${s.op} ${s.threshold})` : ""}`;
}

function faultsPart(v: RunView): string {
  if (!v.faults.length) return "<p>No fault was injected.</p>";
  const rows = v.faults.map(
    (f) =>
      `<tr><td>${esc(f.name)}</td><td>${esc(f.family ?? "")}</td><td>${esc(f.description ?? "")}</td><td>${f.start ? rel(f.start, v.startedAt) : "-"}</td><td>${f.end ? rel(f.end, v.startedAt) : f.revertFailed ? `<span class="st st-failed">revert failed: ${esc(f.revertFailed)}</span>` : f.start ? "active" : "-"}</td></tr>`,
  );
  return `<table class="grid"><thead><tr><th>fault</th><th>family</th><th>what</th><th>injected</th><th>reverted</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function eventsPart(v: RunView): string {
  return `<ol class="events">${v.events.map((e) => `<li class="ev-${esc(e.type.replace(/\./g, "-"))}"><code>${rel(e.t, v.startedAt)}</code> ${esc(e.text)}</li>`).join("")}</ol>`;
}

function change(cur: KeyFigure, prev: KeyFigure | undefined): string {
  if (!prev || prev.value === undefined || cur.value === undefined) return `<td class="chg">–</td>`;
  const d = cur.value - prev.value;
  const rel = prev.value === 0 ? (d === 0 ? 0 : Infinity) : d / Math.abs(prev.value);
  if (Math.abs(rel) < 0.05) return `<td class="chg same">≈ same</td>`;
  const better = cur.higherIsBetter ? d > 0 : d < 0;
  const pct = Number.isFinite(rel) ? `${rel > 0 ? "+" : ""}${Math.round(rel * 100)}%` : d > 0 ? "up" : "down";
  return `<td class="chg ${better ? "better" : "worse"}">${d > 0 ? "▲" : "▼"} ${pct} ${better ? "better" : "worse"}</td>`;
}

function comparisonPart(v: RunView): string {
  if (!v.previous)
    return `<p class="muted">No earlier run of <code>${esc(v.experiment)}</code> in the run history to compare with.</p>`;
  const p = v.previous;
  const rows = v.figures.map((f) => {
    const prev = p.figures.find((x) => x.key === f.key);
    return `<tr><td>${esc(f.label)}</td><td>${formatFigure(prev ?? { value: undefined, unit: f.unit })}</td><td>${formatFigure(f)}</td>${change(f, prev)}</tr>`;
  });
  return `<p>Against run <code>${esc(p.runId)}</code> of ${esc(clock(p.startedAt))} (${esc(p.verdict ?? "no verdict")}).</p>
<table class="grid compare"><thead><tr><th>figure</th><th>previous</th><th>this run</th><th>change</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function chartsPart(v: RunView): string {
  const load = v.load.t.length
    ? `<figure class="chart-card"><figcaption>Load generator: throughput, error ratio, p50/p95/p99 (faults shaded)</figcaption><div class="chart" data-chart="load"></div></figure>`
    : `<p class="muted">No load-generator statistics recorded.</p>`;
  const series = v.series
    .map((s, i) => {
      const st = s.status;
      const body = s.t.length
        ? `<div class="chart" data-chart="series" data-index="${i}"></div>`
        : `<p class="muted nodata">no samples ${v.status === "running" ? "yet" : "were taken (its window never opened)"}</p>`;
      return `<figure class="chart-card"><figcaption>${statusCell(st)} ${esc(s.label)} <span class="muted">${esc(s.group === "expect" ? (s.semantics ?? describeWindow(s)) : s.group === "steady" ? "steady state" : "abort condition")}${s.threshold !== undefined ? ` · ${esc(s.op)} ${esc(s.threshold)}` : ""}</span></figcaption>${body}</figure>`;
    })
    .join("");
  return `<div class="charts">${load}<div class="series-grid">${series}</div></div>`;
}

/** The parts a live page replaces as the run goes on (the charts update in place). */
export function runParts(v: RunView): Record<string, string> {
  return {
    verdict: verdictPart(v),
    problems: problemsPart(v),
    charts: chartsPart(v),
    expectations: expectationsPart(v),
    comparison: comparisonPart(v),
    faults: faultsPart(v),
    events: eventsPart(v),
  };
}

export interface SectionOptions {
  /** The console's server-sent events URL for a running run. */
  live?: string | undefined;
  big?: boolean;
  /** Extra HTML after the heading (the console's abort button). */
  actions?: string;
}

/** One run: the same markup in report.html, the game-day report and the console's run page. */
export function renderRunSection(v: RunView, opts: SectionOptions = {}): string {
  const p = runParts(v);
  const part = (name: string, tag = "div") => `<${tag} data-part="${name}">${p[name] ?? ""}</${tag}>`;
  return `<section class="run" id="run-${esc(v.runId)}" data-run="${esc(v.runId)}"${opts.live ? ` data-live="${esc(opts.live)}"` : ""}${opts.big ? ' data-big="1"' : ""}>
<header class="run-head"><h2>${esc(v.experiment)}</h2>${opts.actions ?? ""}</header>
${v.description ? `<p class="hypothesis">${esc(v.description)}</p>` : ""}
${part("verdict")}${part("problems")}
<h3>Timeline charts</h3>${part("charts")}
<h3>Expectations</h3>${part("expectations")}
<h3>Compared with the previous run</h3>${part("comparison")}
<h3>Faults</h3>${part("faults")}
<h3>Events</h3>${part("events")}
</section>`;
}
