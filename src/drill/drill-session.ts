import { z } from "zod";
import { SERVICE_NAMES } from "../../sandbox-services/lib/topology.js";
import type { SteadyStateCheck } from "../experiment/schema.js";
import type { Probe } from "../interfaces/metric-source.js";
import type { LoadGenerator } from "../load/load-generator.js";
import { Comparison } from "../run/expectations/comparator.js";
import type { AlertWatcher } from "./alert-watcher.js";
import { DrillEndedError, DrillRequestError, UnknownResponderError } from "./drill-errors.js";
import { type DrillEvent, rootCauseSchema } from "./drill-events.js";
import type { DrillFaults } from "./drill-faults.js";
import type { PanelSampler } from "./drill-panels.js";
import type { DrillPlan } from "./drill-plan.js";
import { liveLeaderboard, type PublicResults } from "./drill-results.js";
import type { Drill } from "./drill-schema.js";
import type { DrillTimeline, DrillTokens } from "./drill-state.js";
import { type LogQuery, searchLogRecords, searchLogs } from "./log-search.js";
import { MECHANISMS, MITIGATIONS, TRIGGERS } from "./mechanisms.js";
import { applyMitigation, checkMitigation, MitigationRefusedError } from "./mitigation-actions.js";
import { type TraceView, traceSpans } from "./trace-spans.js";

export const noteBodySchema = z.strictObject({
  text: z.string().min(1).max(2000),
  hypothesis: rootCauseSchema.optional(),
});
export const answerBodySchema = rootCauseSchema.extend({ text: z.string().max(2000).default("") }).strict();
export const mitigationBodySchema = z.strictObject({
  action: z.string().min(1).max(60),
  service: z.string().max(60).optional(),
});

/** A W3C trace id as the services log it: anything else is refused before a log file is read. */
export const traceIdSchema = z.string().regex(/^[0-9a-f]{32}$/, "a trace id is 32 hex digits");

export type EndReason = Extract<DrillEvent, { type: "ended" }>["reason"];
/** What GET /view answers: the CLI prints it, the drill view's page draws it. */
export type DrillView = ReturnType<DrillSession["view"]>;

interface SloCheck {
  check: SteadyStateCheck;
  probe: Probe;
  comparison: Comparison;
  last?: { ok: boolean; value: number | undefined };
}

export interface DrillSessionDeps {
  id: string;
  drill: Drill;
  plan: DrillPlan;
  timeline: DrillTimeline;
  tokens: DrillTokens;
  faults: DrillFaults;
  load: LoadGenerator;
  alerts: AlertWatcher;
  panels: PanelSampler;
  slo: { check: SteadyStateCheck; probe: Probe }[];
  sandboxDir?: string | undefined;
  logDir?: string | undefined;
  onInternalError?: (err: Error) => void;
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new DrillRequestError(
    `bad ${what}: ${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`,
  );
}

/**
 * A live drill: who may act, what they did, what they see. The only writer of the timeline; the
 * responder API and the runner's tick both go through it. Nothing it returns to a responder names
 * the scenario: fault names, families, targets and the answer key stay on the organizer's side.
 */
export class DrillSession {
  clockStart: number | undefined;
  ended: { reason: EndReason; detail: string } | undefined;
  /** Set by the runner once the ended drill is scored (a view kept up after the end shows them). */
  results: PublicResults | undefined;
  private readonly byToken = new Map<string, string>();
  private readonly slo: SloCheck[];
  private readonly hintsShown = new Set<number>();
  private mitigating: Promise<unknown> = Promise.resolve();
  private readonly endListeners: (() => void)[] = [];

  constructor(readonly deps: DrillSessionDeps) {
    for (const [name, token] of Object.entries(deps.tokens.responders)) this.byToken.set(token, name);
    this.slo = deps.slo.map((s) => ({ ...s, comparison: Comparison.of(s.check) }));
  }

  get responders(): string[] {
    return Object.keys(this.deps.tokens.responders);
  }

  onEnd(listener: () => void): void {
    this.endListeners.push(listener);
  }

  /** The responder a token belongs to; the organizer token is not a responder. */
  responder(token: string | undefined): string {
    const name = token === undefined ? undefined : this.byToken.get(token);
    if (name === undefined) throw new UnknownResponderError();
    return name;
  }

  isOrganizer(token: string | undefined): boolean {
    return token !== undefined && token === this.deps.tokens.organizer;
  }

  private open(what: string): void {
    if (this.ended) throw new DrillEndedError(what);
  }

  ack(responder: string): { acknowledged: true; first: boolean } {
    this.open("the acknowledgement");
    const first = !this.deps.timeline.of("ack").some((e) => e.responder === responder);
    if (first) this.deps.timeline.add({ type: "ack", responder });
    return { acknowledged: true, first };
  }

  note(responder: string, body: unknown): { noted: true } {
    this.open("the note");
    const note = parseBody(noteBodySchema, body, "note");
    this.deps.timeline.add({
      type: "note",
      responder,
      text: note.text,
      ...(note.hypothesis ? { hypothesis: note.hypothesis } : {}),
    });
    return { noted: true };
  }

  async mitigate(responder: string, body: unknown): Promise<{ done: true; detail: string }> {
    this.open("the mitigation");
    const req = parseBody(mitigationBodySchema, body, "mitigation");
    const checked = checkMitigation(req, this.deps.drill);
    // One action at a time: two restarts of one service at once would race on its pid.
    const run = this.mitigating.then(async () => {
      this.open("the mitigation");
      const { detail, cleared } = await applyMitigation(checked, {
        drill: this.deps.drill,
        faults: this.deps.faults,
        load: this.deps.load,
        sandboxDir: this.deps.sandboxDir,
      });
      this.deps.timeline.add({
        type: "mitigation",
        responder,
        action: checked.action,
        ...(checked.service ? { service: checked.service } : {}),
        detail,
      });
      for (const fault of cleared)
        this.deps.timeline.add({
          type: "fault.reverted",
          hidden: true,
          fault,
          by: `mitigation by ${responder}`,
        });
      return detail;
    });
    this.mitigating = run.catch(() => undefined);
    try {
      return { done: true, detail: await run };
    } catch (err) {
      if (err instanceof MitigationRefusedError || err instanceof DrillEndedError) throw err;
      // The cause can name the scenario (a toxic, a container): the organizer's log has it, not the answer.
      this.deps.onInternalError?.(err as Error);
      throw new DrillRequestError("the mitigation could not be completed; the organizer's log says why");
    }
  }

  answer(responder: string, body: unknown): { answered: true } {
    this.open("the answer");
    if (this.deps.timeline.of("answer").some((e) => e.responder === responder))
      throw new DrillRequestError("you already answered: an answer is final");
    const a = parseBody(answerBodySchema, body, "answer");
    this.deps.timeline.add({
      type: "answer",
      responder,
      component: a.component,
      mechanism: a.mechanism,
      trigger: a.trigger,
      text: a.text,
    });
    if (this.responders.every((r) => this.deps.timeline.of("answer").some((e) => e.responder === r)))
      this.end("answered", "every responder answered");
    return { answered: true };
  }

  stop(detail: string): void {
    if (!this.ended) this.end("stopped", detail);
  }

  end(reason: EndReason, detail: string): void {
    if (this.ended) return;
    this.ended = { reason, detail };
    for (const l of this.endListeners) l();
  }

  logs(q: LogQuery) {
    return searchLogs(this.deps.logDir, q);
  }

  /** One trace's spans, from the lines log search finds for it (so the same lines stay hidden). */
  trace(id: string): TraceView {
    const parsed = traceIdSchema.safeParse(id.toLowerCase());
    if (!parsed.success) throw new DrillRequestError("a trace id is 32 hex digits");
    const { matches, note } = searchLogRecords(this.deps.logDir, { trace: parsed.data, limit: 1000 });
    return traceSpans(parsed.data, matches, note);
  }

  /** One sampling tick of the live drill: panels, alerts, the symptom, hints due, the time limit. */
  async tick(now: number): Promise<void> {
    if (this.clockStart === undefined || this.ended) return;
    const { timeline } = this.deps;
    await this.deps.panels.sample(now);
    const { started, resolved } = await this.deps.alerts.poll();
    for (const a of started) timeline.add({ type: "alert.firing", alert: a.alert, labels: a.labels });
    for (const a of resolved) timeline.add({ type: "alert.resolved", alert: a.alert });
    await this.sampleSymptom(now);
    const elapsed = now - this.clockStart;
    this.deps.drill.spec.hints.forEach((h, i) => {
      if (elapsed >= h.after && !this.hintsShown.has(i)) {
        this.hintsShown.add(i);
        timeline.add({ type: "hint", text: h.text });
      }
    });
    if (elapsed >= this.deps.plan.timeLimitMs)
      this.end(
        "time-limit",
        `the time limit of ${Math.round(this.deps.plan.timeLimitMs / 1000)} s was reached`,
      );
  }

  private async sampleSymptom(now: number): Promise<void> {
    for (const s of this.slo) {
      const value = await s.probe.sample({ start: now - s.check.over, end: now }).catch(() => undefined);
      s.last = { ok: value !== undefined && s.comparison.holds(value), value };
    }
    const broken = this.slo.filter((s) => s.last && !s.last.ok);
    const state = broken.length ? "broken" : "held";
    const previous = this.deps.timeline.of("symptom").at(-1)?.state ?? "held";
    if (state !== previous) {
      const detail = broken.length
        ? broken.map((s) => `${s.check.name}: ${s.comparison.format(s.last?.value ?? Number.NaN)}`).join("; ")
        : "every service-level check holds again";
      this.deps.timeline.add({ type: "symptom", state, detail });
    }
  }

  /** What the on-call engineer sees: metrics, alerts, hints due, their own actions. Never the scenario. */
  view(responder: string) {
    const { timeline, drill, plan } = this.deps;
    const mine = <T extends { responder: string }>(list: T[]) =>
      list.filter((e) => e.responder === responder);
    const answer = mine(timeline.of("answer"))[0];
    const now = Date.now();
    return {
      drill: {
        id: this.deps.id,
        status: this.ended ? "ended" : this.clockStart === undefined ? "starting" : "running",
        briefing: drill.spec.briefing,
        startedAt: this.clockStart ?? null,
        elapsedMs: this.clockStart === undefined ? 0 : now - this.clockStart,
        timeLimitMs: plan.timeLimitMs,
        ...(this.ended ? { endReason: this.ended.reason } : {}),
      },
      you: {
        responder,
        acknowledged: mine(timeline.of("ack")).length > 0,
        notes: mine(timeline.of("note")).map(({ t, text, hypothesis }) => ({
          t,
          text,
          ...(hypothesis ? { hypothesis } : {}),
        })),
        mitigations: mine(timeline.of("mitigation")).map(({ t, action, service, detail }) => ({
          t,
          action,
          ...(service ? { service } : {}),
          detail,
        })),
        answer: answer
          ? {
              t: answer.t,
              component: answer.component,
              mechanism: answer.mechanism,
              trigger: answer.trigger,
              text: answer.text,
            }
          : null,
      },
      team: this.responders.map((r) => ({
        responder: r,
        acknowledged: timeline.of("ack").some((e) => e.responder === r),
        answered: timeline.of("answer").some((e) => e.responder === r),
      })),
      choices: {
        components: [...SERVICE_NAMES],
        mechanisms: Object.entries(MECHANISMS).map(([name, description]) => ({ name, description })),
        triggers: Object.entries(TRIGGERS).map(([name, description]) => ({ name, description })),
        mitigations: drill.spec.mitigations.map((name) => ({ name, description: MITIGATIONS[name] })),
      },
      slo: this.slo.map((s) => ({
        name: s.check.name,
        ok: s.last?.ok ?? null,
        value: s.last?.value ?? null,
      })),
      alerts: this.deps.alerts.current.map((a) => ({
        alert: a.alert,
        labels: a.labels,
        since: a.activeAt ?? null,
      })),
      panels: this.deps.panels.series,
      hints: timeline.of("hint").map(({ t, text }) => ({ t, text })),
      leaderboard:
        this.results?.leaderboard ?? liveLeaderboard(timeline.events, this.responders, this.clockStart),
      results: this.results ?? null,
    };
  }
}
