/// <reference lib="dom" />
import type { DrillView } from "../drill-session.js";
import { h, mss } from "./dom.js";
import { ApiError, api } from "./drill-api.js";

type Choices = DrillView["choices"];

const field = (label: string, control: HTMLElement) => h("label", {}, label, control);
const select = (name: string, options: { value: string; label: string; title?: string }[]) =>
  h(
    "select",
    { name },
    ...options.map((o) => h("option", { value: o.value, title: o.title }, o.label)),
  ) as HTMLSelectElement;

/** Runs a call and says how it went under its form: the API's own words when it refuses. */
async function act(out: HTMLElement, f: () => Promise<string>, after: () => void): Promise<void> {
  out.className = "answer-msg";
  out.textContent = "…";
  try {
    out.textContent = await f();
    out.classList.add("good");
  } catch (err) {
    out.textContent = err instanceof ApiError ? err.message : String(err);
    out.classList.add("bad");
  }
  after();
}

export interface ActionsPanel {
  el: HTMLElement;
  update(view: DrillView): void;
}

/**
 * What a responder does: notes (optionally a root-cause hypothesis), a mitigation the drill
 * offers (only those), and the final answer from the catalogue's choices plus free text. The
 * forms are built once, so a poll never clears what is being typed.
 */
export function actionsPanel(token: string, choices: Choices, refresh: () => void): ActionsPanel {
  const component = select("component", [
    { value: "", label: "component…" },
    ...choices.components.map((c) => ({ value: c, label: c })),
  ]);
  const mechanism = select("mechanism", [
    { value: "", label: "mechanism…" },
    ...choices.mechanisms.map((m) => ({ value: m.name, label: m.name, title: m.description })),
  ]);
  const trigger = select("trigger", [
    { value: "", label: "trigger…" },
    ...choices.triggers.map((t) => ({ value: t.name, label: t.name, title: t.description })),
  ]);
  const why = h("textarea", {
    name: "text",
    placeholder: "why: what you saw",
    maxlength: "2000",
  }) as HTMLTextAreaElement;
  const described = h("div", { class: "muted", id: "choice-help" });
  const describe = () => {
    const m = choices.mechanisms.find((x) => x.name === mechanism.value);
    const t = choices.triggers.find((x) => x.name === trigger.value);
    described.textContent = [m && `${m.name}: ${m.description}`, t && `${t.name}: ${t.description}`]
      .filter(Boolean)
      .join(" · ");
  };
  mechanism.addEventListener("change", describe);
  trigger.addEventListener("change", describe);
  const answerOut = h("div", { role: "status", id: "answer-result" });
  const submit = h(
    "button",
    { type: "submit", id: "submit-answer" },
    "Submit root cause (final)",
  ) as HTMLButtonElement;
  const answerForm = h(
    "form",
    { class: "stack", id: "answer-form" },
    h(
      "div",
      { class: "row" },
      field("component", component),
      field("mechanism", mechanism),
      field("trigger", trigger),
    ),
    described,
    why,
    submit,
    answerOut,
  ) as HTMLFormElement;
  answerForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void act(
      answerOut,
      async () => {
        await api(token, "POST", "/answers", {
          component: component.value,
          mechanism: mechanism.value,
          trigger: trigger.value,
          text: why.value,
        });
        return "answer recorded: it is final";
      },
      refresh,
    );
  });

  const noteText = h("textarea", {
    name: "note",
    placeholder: "a note for the incident log",
    maxlength: "2000",
  }) as HTMLTextAreaElement;
  const asHypothesis = h("input", { type: "checkbox", name: "hypothesis" }) as HTMLInputElement;
  const noteOut = h("div", { role: "status", id: "note-result" });
  const noteForm = h(
    "form",
    { class: "stack", id: "note-form" },
    noteText,
    h(
      "label",
      { class: "muted" },
      h(
        "span",
        {},
        asHypothesis,
        " mark as a hypothesis (the component, mechanism and trigger chosen below)",
      ),
    ),
    h("div", {}, h("button", { type: "submit" }, "Add note")),
    noteOut,
  ) as HTMLFormElement;
  noteForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void act(
      noteOut,
      async () => {
        await api(token, "POST", "/notes", {
          text: noteText.value,
          ...(asHypothesis.checked
            ? {
                hypothesis: {
                  component: component.value,
                  mechanism: mechanism.value,
                  trigger: trigger.value,
                },
              }
            : {}),
        });
        noteText.value = "";
        return "noted";
      },
      refresh,
    );
  });

  const action = select(
    "action",
    choices.mitigations.map((m) => ({ value: m.name, label: m.name, title: m.description })),
  );
  const service = select(
    "service",
    choices.components.map((c) => ({ value: c, label: c })),
  );
  const serviceField = field("service", service);
  const actionHelp = h("div", { class: "muted" });
  const showService = () => {
    serviceField.hidden = action.value !== "restart-service";
    actionHelp.textContent = choices.mitigations.find((m) => m.name === action.value)?.description ?? "";
  };
  action.addEventListener("change", showService);
  showService();
  const mitigateOut = h("div", { role: "status", id: "mitigation-result" });
  const mitigateButton = h("button", { type: "submit" }, "Take action") as HTMLButtonElement;
  const mitigateForm = h(
    "form",
    { class: "stack", id: "mitigate-form" },
    h("div", { class: "row" }, field("action", action), serviceField, mitigateButton),
    actionHelp,
    mitigateOut,
  ) as HTMLFormElement;
  mitigateForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    mitigateButton.disabled = true;
    void act(
      mitigateOut,
      async () => {
        const r = await api<{ detail: string }>(token, "POST", "/mitigations", {
          action: action.value,
          ...(action.value === "restart-service" ? { service: service.value } : {}),
        });
        return r.detail;
      },
      () => {
        mitigateButton.disabled = false;
        refresh();
      },
    );
  });

  const mine = h("ol", { class: "mine", id: "my-actions" });
  const el = h(
    "div",
    {},
    h(
      "section",
      { class: "card", id: "mitigate" },
      h("h2", {}, "Mitigate"),
      choices.mitigations.length
        ? mitigateForm
        : h("p", { class: "none" }, "This drill offers no mitigation."),
    ),
    h("section", { class: "card", id: "answer" }, h("h2", {}, "Root cause"), answerForm),
    h("section", { class: "card", id: "notes" }, h("h2", {}, "Notes"), noteForm, mine),
  );

  return {
    el,
    update(view) {
      const open = view.drill.status !== "ended";
      const answered = view.you.answer !== null;
      for (const c of [component, mechanism, trigger, why, submit]) c.disabled = !open || answered;
      mitigateButton.disabled = !open;
      for (const c of noteForm.querySelectorAll<HTMLButtonElement | HTMLTextAreaElement>("button,textarea"))
        c.disabled = !open;
      const t0 = view.drill.startedAt ?? 0;
      const items = [
        ...view.you.notes.map((n) => ({
          t: n.t,
          text: `note: ${n.text}${n.hypothesis ? ` (hypothesis ${n.hypothesis.component} / ${n.hypothesis.mechanism} / ${n.hypothesis.trigger})` : ""}`,
        })),
        ...view.you.mitigations.map((m) => ({
          t: m.t,
          text: `${m.action}${m.service ? ` ${m.service}` : ""}: ${m.detail}`,
        })),
        ...(view.you.answer
          ? [
              {
                t: view.you.answer.t,
                text: `answered ${view.you.answer.component} / ${view.you.answer.mechanism} / ${view.you.answer.trigger}`,
              },
            ]
          : []),
      ].sort((a, b) => a.t - b.t);
      mine.replaceChildren(...items.map((i) => h("li", {}, `${mss(i.t - t0)} ${i.text}`)));
      if (answered && view.you.answer && !answerOut.textContent) {
        answerOut.className = "answer-msg good";
        answerOut.textContent = "answer recorded: it is final";
      }
    },
  };
}
