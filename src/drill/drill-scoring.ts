import type { DrillEvent, RootCause } from "./drill-events.js";
import type { AnswerKey } from "./drill-schema.js";

export interface ResponderScore {
  responder: string;
  /** From the injection; undefined when never. */
  ackMs?: number | undefined;
  answerMs?: number | undefined;
  answer?: (RootCause & { text: string }) | undefined;
  correct: { component: boolean; mechanism: boolean; trigger: boolean };
  /** Every field of the root cause right. */
  rootCauseCorrect: boolean;
  /** Notes marked as hypotheses that were wrong (any field different from the key). */
  noise: number;
  mitigations: { action: string; service?: string | undefined; atMs: number }[];
  rank?: number | undefined;
}

export interface DrillScore {
  injectedAt?: number | undefined;
  /** First alert firing after the injection. */
  timeToAlertMs?: number | undefined;
  /** First symptom seen in the metrics (a service-level check broken) after the injection. */
  timeToSymptomMs?: number | undefined;
  /** First acknowledgement by anyone. */
  timeToAckMs?: number | undefined;
  /** From the injection until the symptom held again after a mitigation. */
  timeToMitigateMs?: number | undefined;
  mitigatedBy?: { responder: string; action: string } | undefined;
  responders: ResponderScore[];
  /** Correct root causes first, fastest first; then by fields right; then the rest. */
  leaderboard: ResponderScore[];
}

const wrong = (h: RootCause, key: AnswerKey) =>
  h.component !== key.component || h.mechanism !== key.mechanism || h.trigger !== key.trigger;

/** Scores a finished drill from its timeline alone, so a report can be rebuilt from the folder. */
export function scoreDrill(events: DrillEvent[], key: AnswerKey, responders: string[]): DrillScore {
  const of = <T extends DrillEvent["type"]>(type: T) =>
    events.filter((e): e is Extract<DrillEvent, { type: T }> => e.type === type);
  const injectedAt = of("fault.injected")[0]?.t;
  const since = (t: number | undefined) =>
    t === undefined || injectedAt === undefined ? undefined : Math.max(0, t - injectedAt);
  const after = <E extends { t: number }>(list: E[]) =>
    injectedAt === undefined ? [] : list.filter((e) => e.t >= injectedAt);
  const firstBroken = after(of("symptom")).find((e) => e.state === "broken");
  let timeToMitigateMs: number | undefined;
  let mitigatedBy: DrillScore["mitigatedBy"];
  if (firstBroken) {
    const action = after(of("mitigation")).find((m) => m.t >= firstBroken.t);
    const held = action ? of("symptom").find((e) => e.state === "held" && e.t >= action.t) : undefined;
    if (action && held) {
      timeToMitigateMs = since(held.t);
      // The last action before the symptom held is the one that worked.
      const last =
        of("mitigation")
          .filter((m) => m.t <= held.t)
          .at(-1) ?? action;
      mitigatedBy = {
        responder: last.responder,
        action: last.service ? `${last.action} ${last.service}` : last.action,
      };
    }
  }
  const scores: ResponderScore[] = responders.map((responder) => {
    const ack = of("ack").find((e) => e.responder === responder);
    const answer = of("answer").find((e) => e.responder === responder);
    const correct = {
      component: answer?.component === key.component,
      mechanism: answer?.mechanism === key.mechanism,
      trigger: answer?.trigger === key.trigger,
    };
    return {
      responder,
      ackMs: since(ack?.t),
      answerMs: since(answer?.t),
      ...(answer
        ? {
            answer: {
              component: answer.component,
              mechanism: answer.mechanism,
              trigger: answer.trigger,
              text: answer.text,
            },
          }
        : {}),
      correct,
      rootCauseCorrect: correct.component && correct.mechanism && correct.trigger,
      noise: of("note").filter((n) => n.responder === responder && n.hypothesis && wrong(n.hypothesis, key))
        .length,
      mitigations: of("mitigation")
        .filter((m) => m.responder === responder)
        .map((m) => ({ action: m.action, service: m.service, atMs: since(m.t) ?? 0 })),
    };
  });
  const right = (s: ResponderScore) =>
    Number(s.correct.component) + Number(s.correct.mechanism) + Number(s.correct.trigger);
  const leaderboard = [...scores].sort(
    (a, b) =>
      Number(b.rootCauseCorrect) - Number(a.rootCauseCorrect) ||
      right(b) - right(a) ||
      Number(a.answer === undefined) - Number(b.answer === undefined) ||
      (a.answerMs ?? Infinity) - (b.answerMs ?? Infinity) ||
      a.noise - b.noise,
  );
  leaderboard.forEach((s, i) => {
    s.rank = i + 1;
  });
  return {
    injectedAt,
    timeToAlertMs: since(after(of("alert.firing"))[0]?.t),
    timeToSymptomMs: since(firstBroken?.t),
    timeToAckMs: since(after(of("ack"))[0]?.t),
    timeToMitigateMs,
    mitigatedBy,
    responders: scores,
    leaderboard,
  };
}
