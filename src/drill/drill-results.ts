import type { DrillEvent } from "./drill-events.js";
import type { AnswerKey } from "./drill-schema.js";
import type { DrillScore } from "./drill-scoring.js";

/** One row of the responders' leaderboard. */
export interface LeaderboardRow {
  responder: string;
  rank?: number | undefined;
  /** Live: from the drill's clock start (the injection moment is hidden). After the end: from the injection. */
  ackMs?: number | undefined;
  answerMs?: number | undefined;
  rootCauseCorrect?: boolean | undefined;
  correct?: { component: boolean; mechanism: boolean; trigger: boolean } | undefined;
  answer?: { component: string; mechanism: string; trigger: string; text: string } | undefined;
}

/**
 * What responders see once the drill is over: the root cause they were after and the scored
 * leaderboard. Never the scenario's faults, description or causal chain: those are the
 * organizer's (the report has them), and a view kept up after the end is still a responder's.
 */
export interface PublicResults {
  rootCause: Pick<AnswerKey, "component" | "mechanism" | "trigger">;
  timeToAlertMs?: number | undefined;
  timeToSymptomMs?: number | undefined;
  timeToAckMs?: number | undefined;
  timeToMitigateMs?: number | undefined;
  mitigatedBy?: { responder: string; action: string } | undefined;
  leaderboard: LeaderboardRow[];
}

export function publicResults(score: DrillScore, key: AnswerKey): PublicResults {
  return {
    rootCause: { component: key.component, mechanism: key.mechanism, trigger: key.trigger },
    timeToAlertMs: score.timeToAlertMs,
    timeToSymptomMs: score.timeToSymptomMs,
    timeToAckMs: score.timeToAckMs,
    timeToMitigateMs: score.timeToMitigateMs,
    mitigatedBy: score.mitigatedBy,
    leaderboard: score.leaderboard.map((s) => ({
      responder: s.responder,
      rank: s.rank,
      ackMs: s.ackMs,
      answerMs: s.answerMs,
      rootCauseCorrect: s.rootCauseCorrect,
      correct: s.correct,
      answer: s.answer,
    })),
  };
}

/**
 * The leaderboard while the drill runs: who acknowledged and answered, and when, first answer
 * first. Unscored: whether an answer is right would tell the others something about the key.
 */
export function liveLeaderboard(
  events: DrillEvent[],
  responders: string[],
  clockStart: number | undefined,
): LeaderboardRow[] {
  const since = (t: number | undefined) =>
    t === undefined || clockStart === undefined ? undefined : Math.max(0, t - clockStart);
  const at = (type: "ack" | "answer", responder: string) =>
    events.find((e) => e.type === type && e.responder === responder)?.t;
  const order = (r: string) => [at("answer", r) ?? Infinity, at("ack", r) ?? Infinity] as const;
  return [...responders]
    .sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1])
    .map((responder) => ({
      responder,
      ackMs: since(at("ack", responder)),
      answerMs: since(at("answer", responder)),
    }));
}
