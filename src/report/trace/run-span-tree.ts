import type { ExpectationResult } from "../../interfaces/expectation.js";
import type { SpanAttributes, SpanEventRecord, SpanTree } from "../../interfaces/trace-sink.js";
import { redact } from "../../redact/redact.js";
import type { JournalEvent } from "../../run/journal-schema.js";
import type { RunResult } from "../../run/run-result.js";
import type { Phase } from "../../run/timeline.js";

/** Each lifecycle phase's span name (the journal's phase names are the code's, these a reader's). */
const PHASE_SPANS: Record<Exclude<Phase, "done">, string> = {
  preflight: "gameday.preflight",
  baseline: "gameday.steady_state.before",
  method: "gameday.method",
  rollback: "gameday.rollback",
  recovery: "gameday.steady_state.after",
};

/** Long texts (reasons, summaries) are cut: a span is a pointer to the report, not the report. */
const MAX_TEXT = 1000;

function text(v: unknown): string {
  const s = typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v);
  const cut = s.length <= MAX_TEXT ? s : `${s.slice(0, MAX_TEXT)}…`;
  return redact(cut);
}

/** Only the values a span attribute may hold; strings redacted, anything else as JSON text. */
function attributes(entries: Record<string, unknown>): SpanAttributes {
  const out: SpanAttributes = {};
  for (const [k, v] of Object.entries(entries)) {
    if (v === undefined || v === null) continue;
    if (typeof v === "number") {
      if (Number.isFinite(v)) out[k] = v;
    } else if (typeof v === "boolean") out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === "string")) out[k] = v.slice(0, 100).map(text);
    else out[k] = text(v);
  }
  return out;
}

function span(name: string, start: number, end: number, attrs: SpanAttributes = {}): SpanTree {
  return {
    name,
    start,
    end: Math.max(start, end),
    attributes: attrs,
    status: "unset",
    events: [],
    children: [],
  };
}

function fail(s: SpanTree, message: string): void {
  s.status = "error";
  s.statusMessage = text(message);
}

/** The phase spans, each from its `phase` event to the next (the last to the run's end). */
function phaseSpans(events: readonly JournalEvent[], end: number): { phase: Phase; span: SpanTree }[] {
  const marks = events.filter((e) => e.type === "phase");
  const out: { phase: Phase; span: SpanTree }[] = [];
  marks.forEach((e, i) => {
    const phase = e.data.phase as Phase;
    if (!(phase in PHASE_SPANS)) return;
    const until = marks[i + 1]?.t ?? end;
    const name = PHASE_SPANS[phase as keyof typeof PHASE_SPANS];
    out.push({ phase, span: span(name, e.t, until, { "gameday.phase": phase }) });
  });
  return out;
}

/** Where an event at `t` belongs: the phase span open then, else the root. */
function phaseAt(phases: { span: SpanTree }[], t: number, root: SpanTree): SpanTree {
  for (let i = phases.length - 1; i >= 0; i--) {
    const p = phases[i];
    if (p && p.span.start <= t) return p.span;
  }
  return root;
}

/** A fault's attributes as written (the family's own block: proxy, toxic, latency, ...). */
function faultAttributes(spec: unknown, family: string): Record<string, unknown> {
  if (!spec || typeof spec !== "object") return {};
  const s = spec as Record<string, unknown>;
  const block = s[family];
  const out: Record<string, unknown> = { "gameday.fault.at_ms": s.at, "gameday.fault.for_ms": s.for };
  if (block && typeof block === "object")
    for (const [k, v] of Object.entries(block as Record<string, unknown>).slice(0, 50))
      out[`gameday.fault.attribute.${k}`] = Array.isArray(v) ? v.map(String) : v;
  return out;
}

/** Each fault from the moment it was journalled for injection to its verified revert. */
function faultSpans(
  events: readonly JournalEvent[],
  result: RunResult,
  phases: { span: SpanTree }[],
  root: SpanTree,
) {
  const open = new Map<string, SpanTree>();
  const note = (s: SpanTree, e: JournalEvent, name: string, extra: Record<string, unknown> = {}) =>
    s.events.push({ name, t: e.t, attributes: attributes(extra) });
  for (const e of events) {
    const d = e.data;
    const name = typeof d.fault === "string" ? d.fault : undefined;
    if (e.type === "fault.injecting" && name) {
      const family = text(d.family);
      const plan = result.plans.find((p) => p.fault === name);
      const s = span(`gameday.fault ${name}`, e.t, result.endedAt, {
        "gameday.fault.name": name,
        "gameday.fault.kind": family,
        ...attributes({
          "gameday.fault.action": plan?.action,
          "gameday.fault.targets": plan?.targets,
          ...faultAttributes(d.spec, family),
        }),
        "gameday.fault.reverted": false,
      });
      note(s, e, "injecting");
      phaseAt(phases, e.t, root).children.push(s);
      open.set(name, s);
      continue;
    }
    const s = name ? open.get(name) : undefined;
    if (!s) {
      // A sweep's revert names an owner tag, not a fault of this run: an event of the phase.
      if (e.type === "fault.reverted" || e.type === "fault.revert-failed")
        note(phaseAt(phases, e.t, root), e, e.type, {
          "gameday.owner_tag": d.ownerTag,
          "gameday.sweep": !!d.sweep,
        });
      continue;
    }
    switch (e.type) {
      case "fault.injected":
        s.attributes["gameday.fault.owner_tag"] = text(d.ownerTag);
        note(s, e, "injected", { "gameday.fault.description": d.description });
        break;
      case "fault.reverting":
        note(s, e, "reverting");
        break;
      case "fault.reverted":
        s.end = Math.max(s.start, e.t);
        s.attributes["gameday.fault.reverted"] = true;
        if (s.status !== "error") s.status = "ok";
        note(s, e, "reverted (verified)");
        open.delete(name as string);
        break;
      case "fault.revert-failed":
        note(s, e, "revert failed", { "gameday.error": d.error ?? d.message });
        fail(s, `the revert could not be verified: ${text(d.error ?? d.message)}`);
        break;
      case "fault.changed":
      case "fault.check-failed":
        note(s, e, e.type, { "gameday.reason": d.why ?? d.message ?? d.error });
        fail(s, `${e.type}: ${text(d.why ?? d.message ?? d.error)}`);
        break;
    }
  }
}

function observed(e: ExpectationResult): Record<string, unknown> {
  const values = e.samples.map((s) => s.value).filter((v): v is number => typeof v === "number");
  if (!values.length) return { "gameday.expectation.samples": e.samples.length };
  return {
    "gameday.expectation.samples": e.samples.length,
    "gameday.expectation.observed.min": Math.min(...values),
    "gameday.expectation.observed.max": Math.max(...values),
    "gameday.expectation.observed.last": values[values.length - 1],
  };
}

/** One span per expectation over the samples it read, with its threshold, what was seen and its outcome. */
function expectationSpan(e: ExpectationResult, result: RunResult): SpanTree {
  const times = e.samples.map((s) => s.t);
  const window = result.timeline.method;
  const start = times.length ? Math.min(...times) : (window?.start ?? result.startedAt);
  const end = times.length ? Math.max(...times) : (window?.end ?? result.endedAt);
  const v = e.violation;
  const s = span(
    `gameday.expectation ${e.name}`,
    start,
    end,
    attributes({
      "gameday.expectation.name": e.name,
      "gameday.expectation.semantics": e.semantics,
      "gameday.expectation.outcome": e.status,
      "gameday.expectation.summary": e.summary,
      "gameday.expectation.threshold": e.threshold?.text,
      "gameday.expectation.threshold.operator": e.threshold?.operator,
      "gameday.expectation.threshold.value": e.threshold?.value,
      "gameday.expectation.threshold.baseline": e.threshold?.baseline,
      ...observed(e),
      ...(v
        ? {
            "gameday.expectation.worst": v.worst,
            "gameday.expectation.worst_text": v.worstText,
            "gameday.expectation.violating_ms": v.violatingMs,
            "gameday.expectation.longest_violation_ms": v.longestMs,
            "gameday.expectation.episodes": v.episodes,
            "gameday.expectation.first_violation_after_ms": v.startedAfterMs,
          }
        : {}),
    }),
  );
  if (e.status === "passed") s.status = "ok";
  else fail(s, e.summary);
  return s;
}

/** The steady-state checks of a `steady-state` event, as children of their phase's span. */
function steadyStateChecks(
  events: readonly JournalEvent[],
  phases: { span: SpanTree }[],
  root: SpanTree,
): void {
  for (const e of events) {
    if (e.type !== "steady-state" || !Array.isArray(e.data.results)) continue;
    const parent = phaseAt(phases, e.t - 1, root);
    if (typeof e.data.recoveredAfterMs === "number")
      parent.attributes["gameday.recovered_after_ms"] = e.data.recoveredAfterMs;
    for (const r of e.data.results.slice(0, 100) as Record<string, unknown>[]) {
      const threshold = r.threshold as { text?: string } | undefined;
      const s = span(
        `gameday.steady_state.check ${text(r.name)}`,
        parent.start,
        e.t,
        attributes({
          "gameday.check.name": r.name,
          "gameday.check.when": e.data.when,
          "gameday.check.ok": r.ok === true,
          "gameday.check.summary": r.summary,
          "gameday.check.threshold": threshold?.text,
        }),
      );
      if (r.ok !== true) fail(s, text(r.summary));
      parent.children.push(s);
    }
  }
}

/** Errors, aborts and signals: events of the root span, where a reader looks first. */
function runEvents(events: readonly JournalEvent[]): SpanEventRecord[] {
  const out: SpanEventRecord[] = [];
  for (const e of events) {
    if (e.type === "error")
      out.push({
        name: "error",
        t: e.t,
        attributes: attributes({ "gameday.error": e.data.message, "gameday.error.code": e.data.code }),
      });
    else if (e.type === "abort" || e.type === "signal")
      out.push({
        name: e.type,
        t: e.t,
        attributes: attributes({ "gameday.reason": e.data.reason ?? e.data.signal, "gameday.by": e.data.by }),
      });
  }
  return out.slice(0, 100);
}

/**
 * A run's trace: the root `gameday.run <experiment>` with the verdict, a span per lifecycle phase,
 * each fault from injection to verified revert under the phase it was injected in, each
 * steady-state check under its phase, and each expectation with its threshold and observed values.
 */
export function runSpanTree(events: readonly JournalEvent[], result: RunResult): SpanTree {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result.parameters ?? {})) params[`gameday.parameter.${k}`] = v;
  const root = span(
    `gameday.run ${result.experiment}`,
    result.startedAt,
    result.endedAt,
    attributes({
      "gameday.run.id": result.runId,
      "gameday.experiment": result.experiment,
      "gameday.experiment.file": result.file,
      "gameday.target": result.target,
      "gameday.game_day": result.gameDay,
      "gameday.verdict": result.verdict,
      "gameday.exit_code": result.exitCode,
      "gameday.reason": result.reason,
      "gameday.load.requests": result.load?.requests,
      "gameday.load.errors": result.load?.errors,
      "gameday.remaining": result.remaining.length ? result.remaining : undefined,
      ...params,
    }),
  );
  if (result.verdict === "passed") root.status = "ok";
  else fail(root, `${result.verdict}: ${result.reason}`);
  root.events = runEvents(events);
  const phases = phaseSpans(events, result.endedAt);
  const preflight = events.find((e) => e.type === "preflight.ok");
  const preflightSpan = phases.find((p) => p.phase === "preflight")?.span;
  if (preflight && preflightSpan && Array.isArray(preflight.data.plans))
    preflightSpan.attributes["gameday.preflight.faults"] = preflight.data.plans.length;
  root.children.push(...phases.map((p) => p.span));
  steadyStateChecks(events, phases, root);
  faultSpans(events, result, phases, root);
  root.children.push(...result.expectations.map((e) => expectationSpan(e, result)));
  return root;
}
