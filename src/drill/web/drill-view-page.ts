/// <reference lib="dom" />
import type { DrillView } from "../drill-session.js";
import { actionsPanel } from "./actions-panel.js";
import { Dashboards } from "./dashboards.js";
import { byId, h, mss } from "./dom.js";
import { ApiError, api, takeToken } from "./drill-api.js";
import { leaderboardPanel } from "./leaderboard-panel.js";
import { logSearchPanel } from "./log-search-panel.js";
import { tracePanel } from "./trace-panel.js";

const POLL_MS = 1500;

function problem(text: string): void {
  const box = byId("problem");
  if (!box) return;
  box.hidden = false;
  box.textContent = text;
}

/** The parts that change with every poll; the forms are built once. */
function layout(token: string, first: DrillView, refresh: () => void) {
  const briefing = h("p", { class: "briefing" }, first.drill.briefing);
  const hints = h("div", { id: "hints" });
  const slo = h("ul", { class: "slo", id: "slo" });
  const alerts = h("ul", { class: "alerts", id: "alerts" });
  const panels = h("div", { class: "panels", id: "panels" });
  const board = leaderboardPanel();
  const actions = actionsPanel(token, first.choices, refresh);
  const dashboards = new Dashboards(panels);
  const trace = tracePanel(token);
  const app = byId("app") as HTMLElement;
  app.replaceChildren(
    h("section", { class: "card", id: "briefing" }, h("h2", {}, "Briefing"), briefing, hints),
    h(
      "div",
      { class: "layout" },
      h(
        "div",
        {},
        h(
          "div",
          { class: "pair" },
          h("section", { class: "card" }, h("h2", {}, "Service levels"), slo),
          h("section", { class: "card" }, h("h2", {}, "Alerts firing"), alerts),
        ),
        h(
          "section",
          { class: "card", id: "dashboards" },
          h("details", { open: true }, h("summary", {}, "Dashboards"), panels),
        ),
        logSearchPanel(token, first.choices.components, trace),
        trace.el,
      ),
      h("div", {}, board.results, board.el, actions.el),
    ),
  );
  return (view: DrillView) => {
    hints.replaceChildren(
      ...view.hints.map((x) =>
        h("div", { class: "hint" }, `${mss(x.t - (view.drill.startedAt ?? x.t))} hint: ${x.text}`),
      ),
    );
    slo.replaceChildren(
      ...(view.slo.length
        ? view.slo.map((s) =>
            h(
              "li",
              { class: s.ok === null ? "" : s.ok ? "ok" : "broken" },
              `${s.ok === null ? "…" : s.ok ? "✓" : "✗"} ${s.name}`,
            ),
          )
        : [h("li", {}, "no service-level check")]),
    );
    alerts.replaceChildren(
      ...(view.alerts.length
        ? view.alerts.map((a) =>
            h(
              "li",
              { "data-alert": a.alert },
              h("strong", {}, a.alert),
              " ",
              Object.entries(a.labels)
                .filter(([k]) => k !== "alertname")
                .map(([k, v]) => `${k}=${v}`)
                .join(" "),
              a.since
                ? h("span", { class: "muted" }, ` since ${new Date(a.since).toLocaleTimeString()}`)
                : "",
            ),
          )
        : [h("li", { class: "none" }, "no alert is firing")]),
    );
    dashboards.update(view.panels, view.drill.startedAt);
    board.update(view);
    actions.update(view);
  };
}

async function main(): Promise<void> {
  const token = takeToken();
  if (!token) {
    problem("No responder token in this address: open the one `gameday drill play --as <you>` printed.");
    return;
  }
  let view: DrillView;
  try {
    view = await api<DrillView>(token, "GET", "/view");
  } catch (err) {
    problem(err instanceof ApiError ? err.message : String(err));
    return;
  }
  let fetchedAt = Date.now();
  const status = byId("status") as HTMLElement;
  const clock = byId("clock") as HTMLElement;
  const ack = byId<HTMLButtonElement>("ack") as HTMLButtonElement;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poll = async () => {
    clearTimeout(timer);
    try {
      view = await api<DrillView>(token, "GET", "/view");
      fetchedAt = Date.now();
      draw(view);
    } catch (err) {
      status.textContent = view.drill.status === "ended" ? "ended" : "unreachable";
      problem(
        view.drill.status === "ended"
          ? "The drill has ended and its view is closed (start it with --keep-view to keep it up)."
          : `The drill does not answer: ${(err as Error).message}`,
      );
    }
    // An ended drill's results come once; after that there is nothing left to follow.
    if (!(view.drill.status === "ended" && view.results)) timer = setTimeout(poll, POLL_MS);
  };
  const update = layout(token, view, () => void poll());
  const draw = (v: DrillView) => {
    status.textContent = v.drill.status;
    status.className = `status ${v.drill.status}`;
    (byId("drill-id") as HTMLElement).textContent = v.drill.id;
    (byId("who") as HTMLElement).textContent = `you: ${v.you.responder}`;
    ack.disabled = v.you.acknowledged || v.drill.status === "ended";
    ack.textContent = v.you.acknowledged ? "Acknowledged" : "Acknowledge page";
    update(v);
    document.body.dataset.status = v.drill.status;
    document.body.dataset.polls = String(Number(document.body.dataset.polls ?? 0) + 1);
  };
  ack.addEventListener("click", async () => {
    ack.disabled = true;
    try {
      await api(token, "POST", "/ack");
    } catch (err) {
      problem((err as Error).message);
    }
    void poll();
  });
  setInterval(() => {
    const running = view.drill.status === "running";
    const elapsed = view.drill.elapsedMs + (running ? Date.now() - fetchedAt : 0);
    clock.textContent = `${mss(elapsed)} / ${mss(view.drill.timeLimitMs)}`;
  }, 250);
  draw(view);
  timer = setTimeout(poll, POLL_MS);
}

void main();
