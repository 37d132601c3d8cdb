import type { Phase, Timeline } from "../run/timeline.js";

export type ExpectationStatus = "passed" | "failed" | "pending";

export interface ObservedSample {
  t: number;
  value: number | undefined;
  ok: boolean;
}

/** The outcome of one expectation: data for the journal, JUnit and the report, never an exception. */
export interface ExpectationResult {
  name: string;
  semantics: string;
  status: ExpectationStatus;
  /** One line a human reads first: what was expected and what was seen. */
  summary: string;
  samples: ObservedSample[];
}

/** Sampled on every tick of the method and recovery phases; decides its own window from the timeline. */
export interface ExpectationEvaluator {
  readonly name: string;
  readonly settled: boolean;
  tick(now: number, phase: Phase, timeline: Timeline): Promise<void>;
  /** Final verdict once the run is over: anything still pending is a failure with the reason. */
  finish(timeline: Timeline): ExpectationResult;
  /** Current view, for live progress. */
  status(): ExpectationStatus;
}
