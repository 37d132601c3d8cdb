import { formatDuration } from "../../experiment/duration.js";
import type { Expectation } from "../../experiment/schema.js";
import type {
  ExpectationEvaluator,
  ExpectationResult,
  ExpectationStatus,
  ObservedSample,
  ViolationReport,
} from "../../interfaces/expectation.js";
import type { Probe } from "../../interfaces/metric-source.js";
import { secondsText } from "../../report/time-text.js";
import type { Phase, Timeline } from "../timeline.js";
import { Comparison, describeRange, median } from "./comparator.js";
import { ViolationTracker } from "./violation-tracker.js";

type Semantics = "always" | "eventually" | "end" | "recovered";
const MAX_KEPT_SAMPLES = 600;

const seconds = secondsText;

/**
 * A metric expectation with one of four time semantics, decided from the fields that are present.
 * A relative threshold ("3x baseline") samples the probe during the steady state before as well.
 * An "always" fails at its first violation (for live progress) but samples on to the end of its
 * window, so the result says how bad and how long the violation was.
 */
export class WindowExpectation implements ExpectationEvaluator {
  readonly name: string;
  private readonly semantics: Semantics;
  private readonly comparison: Comparison;
  private readonly tracker: ViolationTracker;
  private state: ExpectationStatus = "pending";
  private finished = false;
  private readonly samples: ObservedSample[] = [];
  private readonly baselineValues: number[] = [];
  private baselineFixed = false;
  private lastBaselineTick: number | undefined;
  /** The sample closest to holding, for an "eventually" that never held. */
  private closest: ObservedSample | undefined;
  private endSampled = false;

  constructor(
    private readonly spec: Expectation,
    private readonly probe: Probe,
  ) {
    this.name = spec.name;
    this.semantics = spec.within
      ? "eventually"
      : spec.at === "end"
        ? "end"
        : spec.recoveredWithin
          ? "recovered"
          : "always";
    this.comparison = Comparison.of(spec);
    this.tracker = new ViolationTracker(this.comparison);
  }

  get settled(): boolean {
    return this.state !== "pending";
  }

  get done(): boolean {
    return this.finished;
  }

  status(): ExpectationStatus {
    return this.state;
  }

  /** [start, end] of the window, when known; end may still be open. */
  private window(t: Timeline): { start?: number; end?: number } {
    if (this.semantics === "recovered") {
      const start = t.rollbackEnd;
      return { start, end: start === undefined ? undefined : start + (this.spec.recoveredWithin as number) };
    }
    const base = this.spec.during ? t.faults[this.spec.during] : t.method;
    if (!base) return {};
    if (this.semantics === "eventually") {
      return {
        start: base.start,
        end: base.start === undefined ? undefined : base.start + (this.spec.within ?? 0),
      };
    }
    return { start: base.start, end: base.end };
  }

  async tick(now: number, phase: Phase, timeline: Timeline): Promise<void> {
    if (this.finished) return;
    if (phase === "baseline") return this.sampleBaseline(now, timeline);
    this.fixBaseline();
    if (this.semantics === "end") {
      if (phase !== "rollback" || this.endSampled) return;
      this.endSampled = true;
      const start = timeline.method?.start ?? now;
      const s = await this.sample(start, now);
      this.settle(s.ok ? "passed" : "failed");
      return;
    }
    const w = this.window(timeline);
    if (w.start === undefined || now < w.start) return;
    if (w.end !== undefined && now > w.end) return this.closeWindow();
    const s = await this.sample(w.start, now);
    if (this.semantics === "always") {
      this.tracker.record(s.t, s.value, s.ok);
      if (s.value !== undefined && !s.ok) this.state = "failed";
    } else if (s.ok) this.settle("passed");
    else if (s.value !== undefined && this.isCloser(s.value)) this.closest = s;
  }

  /** The window is over: settle now so the run need not wait out the recovery window. */
  private closeWindow(): void {
    if (this.semantics === "always") {
      if (this.state === "pending") this.state = this.tracker.defined > 0 ? "passed" : "failed";
    } else this.state = "failed";
    this.finished = true;
  }

  private settle(status: ExpectationStatus): void {
    this.state = status;
    this.finished = true;
  }

  private isCloser(value: number): boolean {
    return (
      this.closest?.value === undefined ||
      this.comparison.badness(value) < this.comparison.badness(this.closest.value)
    );
  }

  /**
   * One baseline value per sampling interval, each over that interval alone: a load p95 over
   * the whole steady state so far would carry the warm-up's first slow requests into every value.
   */
  private async sampleBaseline(now: number, timeline: Timeline): Promise<void> {
    if (!this.comparison.relative) return;
    const start = this.lastBaselineTick ?? timeline.baseline?.start ?? now;
    this.lastBaselineTick = now;
    const value = await this.probe.sample({ start, end: now });
    if (value !== undefined) this.baselineValues.push(value);
  }

  private fixBaseline(): void {
    if (this.baselineFixed) return;
    this.baselineFixed = true;
    if (this.comparison.relative) this.comparison.setBaseline(median(this.baselineValues));
  }

  private async sample(start: number, now: number): Promise<ObservedSample> {
    const value = await this.probe.sample({ start, end: now });
    const s = { t: now, value, ok: value !== undefined && this.comparison.holds(value) };
    if (this.samples.length < MAX_KEPT_SAMPLES) this.samples.push(s);
    return s;
  }

  finish(timeline: Timeline): ExpectationResult {
    this.fixBaseline();
    const w = this.window(timeline);
    if (this.state === "pending") {
      if (this.semantics === "always" && this.tracker.defined > 0 && w.start !== undefined)
        this.state = "passed";
      else this.state = "failed";
    }
    this.finished = true;
    const violation =
      this.semantics === "always" && w.start !== undefined ? this.tracker.report(w.start, w.end) : undefined;
    return {
      name: this.name,
      semantics: this.describeSemantics(),
      status: this.state,
      summary: this.summarise(violation),
      threshold: this.comparison.resolved(),
      violation,
      samples: this.samples,
    };
  }

  private describeSemantics(): string {
    const where = this.spec.during ? `during ${this.spec.during}` : "during the method";
    if (this.semantics === "eventually")
      return `eventually within ${formatDuration(this.spec.within ?? 0)} ${where}`;
    if (this.semantics === "end") return "at the end of the method";
    if (this.semantics === "recovered")
      return `recovered within ${formatDuration(this.spec.recoveredWithin ?? 0)} after rollback`;
    return `always ${where}`;
  }

  private baselineNote(): string {
    if (!this.comparison.relative) return "";
    const n = this.baselineValues.length;
    return n
      ? `; baseline = median of ${n} steady-state samples`
      : "; no baseline: the probe had no data during the steady state before, so the relative threshold could not be resolved";
  }

  private summarise(violation: ViolationReport | undefined): string {
    const c = this.comparison;
    const want = `${this.probe.description} ${c.describe()}`;
    const values = this.samples.filter((s) => s.value !== undefined).map((s) => s.value as number);
    const range = values.length
      ? `observed ${describeRange(c, values)} over ${values.length} samples`
      : "no data in the window";
    const note = this.baselineNote();
    if (this.state === "passed") return `${want}: held (${range}${note})`;
    if (violation) {
      const v = violation;
      const episodes = v.episodes > 1 ? ` in ${v.episodes} episodes (longest ${seconds(v.longestMs)})` : "";
      return (
        `${want}: did not hold; worst ${c.describeBreak(v.worst)} at +${seconds(v.worstAfterMs)}; ` +
        `violated from +${seconds(v.startedAfterMs)} for ${seconds(v.violatingMs)} of the ${seconds(v.windowMs)} window${episodes} ` +
        `(${v.violatingSamples} of ${v.samples} samples); ${range}${note}`
      );
    }
    if (this.semantics === "eventually" || this.semantics === "recovered") {
      const closest = this.closest?.value === undefined ? "" : ` closest ${c.format(this.closest.value)};`;
      return `${want}: never held in its window;${closest} ${range}${note}`;
    }
    const last = this.samples.at(-1);
    const broke = last?.value !== undefined && !last.ok ? ` ${c.describeBreak(last.value)};` : "";
    return `${want}: did not hold;${broke} ${range}${note}`;
  }
}
