import { writeFileSync } from "node:fs";
import { redact } from "../redact/redact.js";
import { esc } from "../report/html/escape-html.js";
import type { RunResult } from "../run/run-result.js";
import type { DrillEvent } from "./drill-events.js";
import type { PanelSeries } from "./drill-panels.js";
import type { DrillPlan } from "./drill-plan.js";
import type { Drill } from "./drill-schema.js";
import type { DrillScore, ResponderScore } from "./drill-scoring.js";
import type { DrillFolder } from "./drill-state.js";

export interface DrillReportInput {
  folder: DrillFolder;
  drill: Drill;
  plan: DrillPlan;
  events: DrillEvent[];
  score: DrillScore;
  run?: RunResult | undefined;
  seed: number;
  reason: string;
  panels?: PanelSeries[] | undefined;
}

const secs = (ms: number | undefined) => (ms === undefined ? "never" : `${(ms / 1000).toFixed(1)} s`);
const yes = (b: boolean) => (b ? "right" : "wrong");
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** One line per event, clocked from the drill's start; the scenario's own events marked as such. */
export function eventText(e: DrillEvent): { who: string; what: string } {
  switch (e.type) {
    case "started":
      return { who: "drill", what: `started with ${e.responders.join(", ")}` };
    case "clock.started":
      return { who: "drill", what: "load steady; the clock runs" };
    case "fault.injected":
      return { who: "scenario", what: `injected ${e.fault}: ${e.description}` };
    case "fault.reverted":
      return { who: "scenario", what: `reverted ${e.fault} (${e.by})` };
    case "alert.firing":
      return { who: "alerting", what: `alert ${e.alert} firing` };
    case "alert.resolved":
      return { who: "alerting", what: `alert ${e.alert} resolved` };
    case "symptom":
      return {
        who: "metrics",
        what: e.state === "broken" ? `symptom: ${e.detail}` : "symptom gone: steady state holds",
      };
    case "hint":
      return { who: "drill", what: `hint: ${e.text}` };
    case "ack":
      return { who: e.responder, what: "acknowledged" };
    case "note":
      return {
        who: e.responder,
        what: `note: ${e.text}${e.hypothesis ? ` (hypothesis: ${e.hypothesis.component} / ${e.hypothesis.mechanism} / ${e.hypothesis.trigger})` : ""}`,
      };
    case "mitigation":
      return {
        who: e.responder,
        what: `mitigation ${e.action}${e.service ? ` ${e.service}` : ""}: ${e.detail}`,
      };
    case "answer":
      return {
        who: e.responder,
        what: `answer: ${e.component} / ${e.mechanism} / ${e.trigger}${e.text ? ` ("${e.text}")` : ""}`,
      };
    case "ended":
      return {
        who: "drill",
        what: `ended (${e.reason}): ${e.detail}; rollback ${e.rollback.verified ? "verified" : `NOT verified: ${e.rollback.remaining.join("; ")}`}`,
      };
  }
}

function clock(events: DrillEvent[]): (t: number) => string {
  const zero = events.find((e) => e.type === "clock.started")?.t ?? events[0]?.t ?? 0;
  return (t) => {
    const s = Math.round((t - zero) / 1000);
    return `${s < 0 ? "-" : "+"}${Math.floor(Math.abs(s) / 60)}:${String(Math.abs(s) % 60).padStart(2, "0")}`;
  };
}

function leaderboardRows(list: ResponderScore[]): string[] {
  return list.map(
    (s) =>
      `| ${s.rank ?? "-"} | ${cell(s.responder)} | ${s.answer ? `${s.answer.component} / ${s.answer.mechanism} / ${s.answer.trigger}` : "no answer"} | ${s.rootCauseCorrect ? "**correct**" : "wrong"} (component ${yes(s.correct.component)}, mechanism ${yes(s.correct.mechanism)}, trigger ${yes(s.correct.trigger)}) | ${secs(s.answerMs)} | ${secs(s.ackMs)} | ${s.noise} |`,
  );
}

function postmortem(input: DrillReportInput, at: (t: number) => string): string[] {
  const { drill, score, events } = input;
  const key = drill.spec.answer;
  const mitigations = events.filter(
    (e): e is Extract<DrillEvent, { type: "mitigation" }> => e.type === "mitigation",
  );
  const wentWell: string[] = [];
  if (score.timeToAlertMs !== undefined)
    wentWell.push(`an alert fired ${secs(score.timeToAlertMs)} after the cause`);
  if (score.timeToAckMs !== undefined)
    wentWell.push(`someone acknowledged within ${secs(score.timeToAckMs)}`);
  if (score.timeToMitigateMs !== undefined && score.mitigatedBy)
    wentWell.push(
      `${score.mitigatedBy.action} by ${score.mitigatedBy.responder} ended the symptom (${secs(score.timeToMitigateMs)} after the cause)`,
    );
  for (const s of score.responders.filter((r) => r.rootCauseCorrect))
    wentWell.push(`${s.responder} found the root cause in ${secs(s.answerMs)}`);
  const actions: string[] = [];
  if (score.timeToAlertMs === undefined)
    actions.push("no alert fired for this cause: add an alert on the first symptom");
  if (score.timeToMitigateMs === undefined)
    actions.push(
      "the symptom was not mitigated by a responder action: document the mitigation in the runbook",
    );
  const wrongFields = score.responders.filter((r) => r.answer && !r.rootCauseCorrect);
  if (wrongFields.length)
    actions.push(
      `${wrongFields.length} responder(s) blamed the wrong cause: make the dashboards show ${key.component} as the origin`,
    );
  if (score.responders.some((r) => r.noise > 0))
    actions.push("wrong hypotheses were chased: add the signal that would have ruled them out");
  actions.push("(add your own)");
  return [
    "## Postmortem (blameless; pre-filled from the timeline, edit freely)",
    "",
    "### What happened",
    "",
    `${drill.metadata.description ?? drill.metadata.name}`,
    "",
    `Root cause: **${key.component}**, ${key.mechanism}, triggered by ${key.trigger}.`,
    ...(key.chain.length ? ["", ...key.chain.map((c, i) => `${i + 1}. ${c}`)] : []),
    "",
    "### Detection",
    "",
    `- first alert firing: ${secs(score.timeToAlertMs)} after the cause`,
    `- first symptom in the metrics: ${secs(score.timeToSymptomMs)}`,
    `- first human acknowledgement: ${secs(score.timeToAckMs)}`,
    "",
    "### Response",
    "",
    ...(mitigations.length
      ? mitigations.map(
          (m) => `- ${at(m.t)} ${m.responder}: ${m.action}${m.service ? ` ${m.service}` : ""} (${m.detail})`,
        )
      : ["- no mitigation was taken"]),
    `- time to mitigate: ${secs(score.timeToMitigateMs)}`,
    "",
    "### What went well",
    "",
    ...(wentWell.length ? wentWell.map((w) => `- ${w}`) : ["- (to fill in)"]),
    "",
    "### Action items",
    "",
    ...actions.map((a) => `- [ ] ${a}`),
  ];
}

export function drillMarkdown(input: DrillReportInput): string {
  const { drill, plan, score, events } = input;
  const at = clock(events);
  const lines = [
    `# Incident drill: ${drill.metadata.name}`,
    "",
    input.reason,
    "",
    `Seed ${input.seed}; injected at ${secs(plan.injectAtMs)} into the window ${secs(plan.window.fromMs)}..${secs(plan.window.toMs)}; time limit ${secs(plan.timeLimitMs)}.${input.run ? ` Run ${input.run.runId} (${input.run.verdict}).` : ""}`,
    "",
    "## The scenario (revealed)",
    "",
    drill.metadata.description ?? "",
    "",
    `Answer key: component **${drill.spec.answer.component}**, mechanism **${drill.spec.answer.mechanism}**, trigger **${drill.spec.answer.trigger}**.`,
    "",
    ...(drill.spec.answer.chain.length
      ? ["The chain:", "", ...drill.spec.answer.chain.map((c, i) => `${i + 1}. ${c}`), ""]
      : []),
    "Faults:",
    "",
    ...plan.experiment.spec.faults.map((f) => `- \`${f.name}\` at ${secs(f.at)} for up to ${secs(f.for)}`),
    "",
    "## Measured",
    "",
    "| measure | value |",
    "|---|---|",
    `| time to detect: first alert firing | ${secs(score.timeToAlertMs)} |`,
    `| time to detect: first symptom in the metrics | ${secs(score.timeToSymptomMs)} |`,
    `| time to detect: first human acknowledgement | ${secs(score.timeToAckMs)} |`,
    `| time to mitigate (steady state held again after an action) | ${secs(score.timeToMitigateMs)}${score.mitigatedBy ? ` (${score.mitigatedBy.action} by ${score.mitigatedBy.responder})` : ""} |`,
    "",
    "## Leaderboard",
    "",
    "| rank | responder | root cause | correct | answered after | acknowledged after | noise (wrong hypotheses) |",
    "|---|---|---|---|---|---|---|",
    ...leaderboardRows(score.leaderboard),
    "",
    "## Timeline",
    "",
    "| time | who | what |",
    "|---|---|---|",
    ...events.map((e) => {
      const { who, what } = eventText(e);
      return `| ${at(e.t)} | ${cell(who)} | ${cell(what)} |`;
    }),
    "",
    ...postmortem(input, at),
    "",
  ];
  return lines.join("\n");
}

/** A small SVG line chart of one panel, the fault windows shaded and the human events as ticks. */
function panelSvg(series: PanelSeries, events: DrillEvent[], t0: number, t1: number): string {
  const pts = series.points.filter((p): p is [number, number] => p[1] !== null);
  const W = 560;
  const H = 120;
  const max = Math.max(1e-9, ...pts.map((p) => p[1]));
  const x = (t: number) => ((t - t0) / Math.max(1, t1 - t0)) * W;
  const y = (v: number) => H - 4 - (v / max) * (H - 12);
  const path = pts.map((p, i) => `${i ? "L" : "M"}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join("");
  const injected = events.filter((e) => e.type === "fault.injected").map((e) => e.t);
  const reverted = events.filter((e) => e.type === "fault.reverted").map((e) => e.t);
  const shade = injected.length
    ? `<rect x="${x(Math.min(...injected)).toFixed(1)}" y="0" width="${Math.max(1, x(reverted.length ? Math.max(...reverted) : t1) - x(Math.min(...injected))).toFixed(1)}" height="${H}" fill="#f5c2c2" opacity="0.5"/>`
    : "";
  const ticks = events
    .filter(
      (e) => e.type === "ack" || e.type === "mitigation" || e.type === "answer" || e.type === "alert.firing",
    )
    .map(
      (e) =>
        `<line x1="${x(e.t).toFixed(1)}" x2="${x(e.t).toFixed(1)}" y1="0" y2="${H}" stroke="${e.type === "alert.firing" ? "#d97706" : "#2563eb"}" stroke-dasharray="3,3"><title>${esc(eventText(e).who)}: ${esc(eventText(e).what)}</title></line>`,
    )
    .join("");
  return `<figure><figcaption>${esc(series.name)} (max ${esc(max.toPrecision(3))}${series.unit ? ` ${esc(series.unit)}` : ""})</figcaption><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">${shade}${ticks}<path d="${path}" fill="none" stroke="#111" stroke-width="1.5"/></svg></figure>`;
}

/** The same report as one self-contained page (inline styles and SVG, a CSP that forbids any request). */
export function drillHtml(input: DrillReportInput, markdown: string): string {
  const { events } = input;
  const t0 = events[0]?.t ?? 0;
  const t1 = events.at(-1)?.t ?? t0 + 1;
  const charts = (input.panels ?? [])
    .filter((s) => s.points.some((p) => p[1] !== null && p[1] !== 0))
    .slice(0, 12)
    .map((s) => panelSvg(s, events, t0, t1))
    .join("\n");
  const at = clock(events);
  const rows = events
    .map((e) => {
      const { who, what } = eventText(e);
      const cls =
        who === "scenario" ? "scenario" : ["drill", "metrics", "alerting"].includes(who) ? "system" : "human";
      return `<tr class="${cls}"><td>${esc(at(e.t))}</td><td>${cls === "scenario" ? esc(what) : ""}</td><td>${cls === "system" ? esc(`${who}: ${what}`) : ""}</td><td>${cls === "human" ? esc(`${who}: ${what}`) : ""}</td></tr>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Incident drill: ${esc(input.drill.metadata.name)}</title>
<style>body{font:14px system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:4px 6px;vertical-align:top}tr.scenario td:nth-child(2){background:#fde8e8}tr.human td:nth-child(4){background:#e8f0fd}figure{display:inline-block;margin:.5em}pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}</style>
</head><body>
<h1>Incident drill: ${esc(input.drill.metadata.name)}</h1>
<p>${esc(input.reason)}</p>
<h2>Charts</h2>
<p>Red: the scenario's faults; blue dashes: human events (hover for what); orange: alerts.</p>
${charts || "<p>No panel had data.</p>"}
<h2>Timeline: faults beside the human events</h2>
<table><thead><tr><th>time</th><th>scenario</th><th>system</th><th>responders</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Full report</h2>
<pre>${esc(markdown)}</pre>
</body></html>
`;
}

export function writeDrillReports(input: DrillReportInput): { markdown: string; html: string } {
  const md = redact(drillMarkdown(input));
  const markdown = input.folder.path("report.md");
  const html = input.folder.path("report.html");
  writeFileSync(markdown, md);
  writeFileSync(html, redact(drillHtml(input, md)));
  return { markdown, html };
}
