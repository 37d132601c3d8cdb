/// <reference lib="dom" />
import type { LogEntry } from "../log-search.js";
import { clockTime, h } from "./dom.js";
import { ApiError, api } from "./drill-api.js";

interface LogAnswer {
  entries: LogEntry[];
  note?: string;
}

const RANGES: [string, number][] = [
  ["any time", 0],
  ["last 1 min", 60_000],
  ["last 5 min", 300_000],
  ["last 15 min", 900_000],
];

const field = (label: string, control: HTMLElement) => h("label", {}, label, control);

/** A `datetime-local` value (the browser's time zone) as epoch ms; undefined when empty. */
function localTime(value: string): number | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Log search as on-call has it: by service, level (and above), trace id, a time range and words.
 * A row's trace id is a link that searches that trace across every service: how a responder
 * follows one failed checkout from the gateway down the chain. A search for one trace also opens
 * its waterfall (`trace`), so the lines and the timing of the same checkout are side by side.
 */
export function logSearchPanel(
  token: string,
  services: string[],
  traceView?: { open(trace: string): Promise<void>; hide(): void },
): HTMLElement {
  const service = h(
    "select",
    { name: "service" },
    h("option", { value: "" }, "all services"),
    ...services.map((s) => h("option", { value: s }, s)),
  ) as HTMLSelectElement;
  const level = h(
    "select",
    { name: "level" },
    ...["", "info", "warn", "error"].map((l) =>
      h("option", { value: l }, l ? `${l} and above` : "any level"),
    ),
  ) as HTMLSelectElement;
  const trace = h("input", {
    name: "trace",
    placeholder: "trace id",
    size: "34",
    spellcheck: "false",
  }) as HTMLInputElement;
  const text = h("input", { name: "q", placeholder: "words", size: "14" }) as HTMLInputElement;
  const range = h(
    "select",
    { name: "range" },
    ...RANGES.map(([label, ms]) => h("option", { value: String(ms) }, label)),
  ) as HTMLSelectElement;
  const since = h("input", { name: "since", type: "datetime-local", step: "1" }) as HTMLInputElement;
  const until = h("input", { name: "until", type: "datetime-local", step: "1" }) as HTMLInputElement;
  const go = h("button", { type: "submit" }, "Search");
  const clear = h("button", { type: "button", class: "secondary" }, "Clear");
  const status = h("div", { class: "muted", id: "log-status", role: "status" });
  const rows = h("tbody");
  const form = h(
    "form",
    { class: "row", id: "log-search" },
    field("service", service),
    field("level", level),
    field("trace id", trace),
    field("contains", text),
    field("range", range),
    field("since", since),
    field("until", until),
    go,
    clear,
  ) as HTMLFormElement;

  const search = async () => {
    const q = new URLSearchParams();
    if (service.value) q.set("service", service.value);
    if (level.value) q.set("level", level.value);
    if (trace.value.trim()) q.set("trace", trace.value.trim());
    if (text.value.trim()) q.set("q", text.value.trim());
    const from =
      localTime(since.value) ?? (Number(range.value) ? Date.now() - Number(range.value) : undefined);
    const to = localTime(until.value);
    if (from !== undefined) q.set("since", String(from));
    if (to !== undefined) q.set("until", String(to));
    q.set("limit", "300");
    if (/^[0-9a-f]{32}$/i.test(trace.value.trim())) void traceView?.open(trace.value.trim().toLowerCase());
    status.textContent = "searching…";
    try {
      const r = await api<LogAnswer>(token, "GET", `/logs?${q}`);
      rows.replaceChildren(...r.entries.map(row).reverse());
      status.textContent = r.note ?? `${r.entries.length} lines, newest first`;
    } catch (err) {
      status.textContent = err instanceof ApiError ? err.message : String(err);
    }
  };
  const row = (e: LogEntry) => {
    const link = e.trace
      ? h(
          "a",
          {
            class: "trace",
            "data-trace": e.trace,
            title: "this trace: its lines in every service and its waterfall",
          },
          e.trace.slice(0, 12),
        )
      : "";
    return h(
      "tr",
      { class: `lv-${e.level}`, "data-service": e.service, "data-level": e.level },
      h("td", {}, clockTime(e.time)),
      h("td", {}, e.service),
      h("td", { class: "lv" }, e.level),
      h("td", {}, e.msg, e.fields ? h("div", { class: "fields" }, e.fields) : ""),
      h("td", {}, link),
    );
  };
  rows.addEventListener("click", (ev) => {
    const a = (ev.target as HTMLElement).closest<HTMLElement>("a[data-trace]");
    if (!a) return;
    trace.value = a.dataset.trace ?? "";
    service.value = "";
    level.value = "";
    text.value = "";
    void search();
  });
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void search();
  });
  clear.addEventListener("click", () => {
    form.reset();
    rows.replaceChildren();
    traceView?.hide();
    status.textContent = "";
  });
  return h(
    "section",
    { class: "card", id: "logs" },
    h("h2", {}, "Log search"),
    form,
    status,
    h(
      "div",
      { class: "logs" },
      h(
        "table",
        { id: "log-rows" },
        h(
          "thead",
          {},
          h("tr", {}, ...["time", "service", "level", "message", "trace"].map((t) => h("th", {}, t))),
        ),
        rows,
      ),
    ),
  );
}
