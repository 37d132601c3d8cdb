/// <reference lib="dom" />
import type { DrillView } from "../drill-session.js";
import { h, mss } from "./dom.js";

type Row = DrillView["leaderboard"][number];

const mark = (ok: boolean | undefined) => (ok ? "✓" : "✗");

function rowOf(r: Row, scored: boolean): HTMLElement {
  const result = !scored
    ? h("td", { class: "muted" }, r.answerMs === undefined ? "" : "scored at the end")
    : h(
        "td",
        { class: r.rootCauseCorrect ? "correct" : "wrong" },
        r.rootCauseCorrect ? "correct" : "wrong",
        r.answer
          ? h(
              "div",
              { class: "muted" },
              `${mark(r.correct?.component)} ${r.answer.component} · ${mark(r.correct?.mechanism)} ${r.answer.mechanism} · ${mark(r.correct?.trigger)} ${r.answer.trigger}`,
            )
          : h("div", { class: "muted" }, "no answer"),
      );
  return h(
    "tr",
    {
      "data-responder": r.responder,
      "data-correct": scored ? String(Boolean(r.rootCauseCorrect)) : undefined,
    },
    h("td", {}, r.rank === undefined ? "" : String(r.rank)),
    h("td", {}, r.responder),
    h("td", {}, mss(r.ackMs)),
    h("td", {}, mss(r.answerMs)),
    result,
  );
}

/**
 * Every responder's progress while the drill runs (unscored: a right/wrong mark would tell the
 * others about the key), and the scored leaderboard with the root cause once it has ended.
 */
export function leaderboardPanel(): { el: HTMLElement; results: HTMLElement; update(view: DrillView): void } {
  const body = h("tbody");
  const caption = h("div", { class: "muted" });
  const el = h(
    "section",
    { class: "card", id: "leaderboard" },
    h("h2", {}, "Leaderboard"),
    caption,
    h(
      "table",
      { class: "board" },
      h(
        "thead",
        {},
        h("tr", {}, ...["#", "responder", "ack", "answer", "result"].map((t) => h("th", {}, t))),
      ),
      body,
    ),
  );
  const results = h("section", { class: "card results", id: "results", hidden: true });
  return {
    el,
    results,
    update(view) {
      const r = view.results;
      caption.textContent = r
        ? "Correct root causes first, fastest first; times from the injection."
        : "Times from the drill's start; answers are scored when the drill ends.";
      body.replaceChildren(...view.leaderboard.map((row) => rowOf(row, r !== null)));
      if (!r) return;
      results.hidden = false;
      const facts: [string, string][] = [
        ["time to alert", mss(r.timeToAlertMs)],
        ["time to symptom", mss(r.timeToSymptomMs)],
        ["time to acknowledge", mss(r.timeToAckMs)],
        ["time to mitigate", mss(r.timeToMitigateMs)],
      ];
      if (r.mitigatedBy) facts.push(["mitigated by", `${r.mitigatedBy.responder} (${r.mitigatedBy.action})`]);
      results.replaceChildren(
        h("h2", {}, "Results"),
        h(
          "p",
          { id: "root-cause" },
          "The root cause: ",
          h("strong", {}, `${r.rootCause.component} / ${r.rootCause.mechanism} / ${r.rootCause.trigger}`),
        ),
        h("dl", { class: "facts" }, ...facts.map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, v)))),
      );
    },
  };
}
