import type { COMPARATORS } from "../experiment/metric-schema.js";
import type { Phase, Timeline } from "../run/timeline.js";

export type ExpectationStatus = "passed" | "failed" | "pending";

export interface ObservedSample {
  t: number;
  value: number | undefined;
  ok: boolean;
}

/** One of the comparators of metric-schema.ts (`COMPARATORS`). */
export type ThresholdOperator = (typeof COMPARATORS)[number];

/** A comparator as a run resolved it: for a relative one, the baseline it was computed from. */
export interface ResolvedThreshold {
  operator: ThresholdOperator;
  /** As written in the file: "600ms", "3x baseline + 50ms". */
  written: string;
  /** In the metric's unit; undefined when a relative threshold had no baseline. */
  value: number | undefined;
  baseline?: number | undefined;
  /** "< 3x baseline (3 x 41 ms = 123 ms)" */
  text: string;
}

/** How bad and how long a violation was (times in epoch ms, or ms after the window's start). */
export interface ViolationReport {
  /** The value furthest on the wrong side of the threshold. */
  worst: number;
  /** The worst value with its unit and the broken relation: "312 ms >= 123 ms". */
  worstText: string;
  worstAt: number;
  worstAfterMs: number;
  /** The first violating sample. */
  startedAt: number;
  startedAfterMs: number;
  /** Total time the expectation was violated within its window, at sampling resolution. */
  violatingMs: number;
  /** The longest unbroken violation. */
  longestMs: number;
  /** Separate violations (a holding sample between two ends one). */
  episodes: number;
  windowMs: number;
  violatingSamples: number;
  /** Samples with data in the window. */
  samples: number;
}

/** The outcome of one expectation: data for the journal, JUnit and the report, never an exception. */
export interface ExpectationResult {
  name: string;
  semantics: string;
  status: ExpectationStatus;
  /** One line a human reads first: what was expected and what was seen. */
  summary: string;
  /** The comparator as resolved in this run (a relative one with its baseline). */
  threshold?: ResolvedThreshold | undefined;
  /** For an expectation that was broken while it was sampled: worst value, start, duration. */
  violation?: ViolationReport | undefined;
  /** An alert expectation whose alert never fired: the fault it should have detected. */
  monitoringGap?: { fault: string } | undefined;
  samples: ObservedSample[];
}

/** Sampled on every tick of the baseline, method and recovery phases; decides its own window from the timeline. */
export interface ExpectationEvaluator {
  readonly name: string;
  /** The status is decided (it may be decided before sampling ends: a violation fails early). */
  readonly settled: boolean;
  /** Nothing more to sample: its window is over (an "always" keeps sampling after a violation). */
  readonly done: boolean;
  tick(now: number, phase: Phase, timeline: Timeline): Promise<void>;
  /** Final verdict once the run is over: anything still pending is a failure with the reason. */
  finish(timeline: Timeline): ExpectationResult;
  /** Current view, for live progress. */
  status(): ExpectationStatus;
}
