/// <reference lib="dom" />
import type { TraceSpan, TraceView } from "../trace-spans.js";
import { h } from "./dom.js";
import { ApiError, api } from "./drill-api.js";

const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;

/** Everything a row knows, for its tooltip: the bar alone only shows where and how long. */
function describe(s: TraceSpan): string {
  return [
    `${s.service} ${s.name}`,
    `span ${s.id}${s.parent ? ` (parent ${s.parent}${s.missingParent ? ", not in the logs" : ""})` : ""}`,
    `starts at +${ms(s.offsetMs)}, takes ${ms(s.durationMs)}`,
    `outcome ${s.outcome}${s.status === undefined ? "" : `, status ${s.status}`}`,
    s.reason ? `reason ${s.reason}${s.cause ? ` (cause ${s.cause})` : ""}` : "",
    s.msg ?? "",
  ]
    .filter(Boolean)
    .join("\n");
}

function row(s: TraceSpan, total: number): HTMLElement {
  // Percentages of the trace's whole time: the bars line up however wide the panel is.
  const left = total ? (s.offsetMs / total) * 100 : 0;
  const width = total ? (s.durationMs / total) * 100 : 0;
  const why = s.reason ? ` ${s.reason}${s.cause ? `/${s.cause}` : ""}` : "";
  return h(
    "div",
    {
      class: `span-row k-${s.kind} o-${s.outcome}`,
      "data-service": s.service,
      "data-kind": s.kind,
      "data-outcome": s.outcome,
      title: describe(s),
    },
    h(
      "div",
      { class: "span-name", style: `padding-left:${Math.min(s.depth, 12) * 11}px` },
      h("strong", {}, s.service),
      ` ${s.name}`,
      s.missingParent ? h("span", { class: "muted" }, " (parent not logged)") : "",
    ),
    h(
      "div",
      { class: "span-track" },
      h("div", {
        class: "span-bar",
        style: `left:${Math.min(left, 100).toFixed(2)}%;width:${Math.max(0, Math.min(width, 100 - left)).toFixed(2)}%`,
      }),
    ),
    h(
      "div",
      { class: "span-info" },
      `${ms(s.durationMs)}${s.status === undefined ? "" : ` ${s.status}`}${why}`,
    ),
  );
}

/** The time scale above the bars: the trace's start, its middle and its end. */
function axis(total: number): HTMLElement {
  return h(
    "div",
    { class: "span-row span-axis" },
    h("div", {}, "service / span"),
    h(
      "div",
      { class: "span-track" },
      h("span", {}, "0"),
      h("span", {}, ms(total / 2)),
      h("span", {}, ms(total)),
    ),
    h("div", {}, "duration, status"),
  );
}

/**
 * A trace's waterfall, built by the API from the services' log lines: a row per span, indented
 * under its parent, its bar offset by its start and as long as it took, coloured by its outcome.
 */
export function tracePanel(token: string) {
  const title = h("h2", {}, "Trace");
  const status = h("div", { class: "muted", id: "trace-status", role: "status" });
  const rows = h("div", { class: "waterfall", id: "trace-rows" });
  const close = h("button", { type: "button", class: "secondary" }, "Close");
  const el = h("section", { class: "card", id: "trace", hidden: true }, title, close, status, rows);
  let current = "";
  close.addEventListener("click", () => hide());
  const open = async (trace: string) => {
    current = trace;
    el.hidden = false;
    // For a script following the page (and a test): which trace is shown, and whether it has arrived.
    el.dataset.trace = trace;
    el.dataset.state = "loading";
    title.textContent = `Trace ${trace}`;
    status.textContent = "loading…";
    rows.replaceChildren();
    try {
      const t = await api<TraceView>(token, "GET", `/trace/${encodeURIComponent(trace)}`);
      if (current !== trace) return; // another trace was opened meanwhile
      rows.replaceChildren(
        ...(t.spans.length ? [axis(t.durationMs)] : []),
        ...t.spans.map((s) => row(s, t.durationMs)),
      );
      status.textContent =
        t.note ??
        `${t.spans.length} spans over ${ms(t.durationMs)}${t.truncated ? " (the first spans only)" : ""}`;
      el.dataset.state = "shown";
      el.scrollIntoView({ block: "nearest" });
    } catch (err) {
      if (current !== trace) return;
      status.textContent = err instanceof ApiError ? err.message : String(err);
      el.dataset.state = "failed";
    }
  };
  const hide = () => {
    el.hidden = true;
  };
  return { el, open, hide };
}
