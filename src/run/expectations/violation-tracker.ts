import type { ViolationReport } from "../../interfaces/expectation.js";
import type { Comparison } from "./comparator.js";

interface Point {
  t: number;
  value: number | undefined;
  ok: boolean;
}

/**
 * How bad and how long an "always" expectation was broken, at sampling resolution: each sample
 * stands for the time until the next one (the last until the window's end). A sample without
 * data counts as neither holding nor violating. Kept incrementally: no sample list is needed.
 */
export class ViolationTracker {
  private last: Point | undefined;
  private firstAt: number | undefined;
  private worst: { t: number; value: number; badness: number } | undefined;
  private violatingMs = 0;
  private violatingSamples = 0;
  private definedSamples = 0;
  private episodes = 0;
  private currentRun = 0;
  private longestMs = 0;

  constructor(private readonly comparison: Comparison) {}

  /** Adds one sample taken at `t`. */
  record(t: number, value: number | undefined, ok: boolean): void {
    this.closeLast(t);
    if (value !== undefined) {
      this.definedSamples++;
      if (!ok) {
        this.violatingSamples++;
        this.firstAt ??= t;
        if (!(this.last && this.last.value !== undefined && !this.last.ok)) this.episodes++;
        const badness = this.comparison.badness(value);
        if (!this.worst || badness > this.worst.badness) this.worst = { t, value, badness };
      }
    }
    this.last = { t, value, ok };
  }

  /** The previous sample's share of time ends at `t`. */
  private closeLast(t: number): void {
    const prev = this.last;
    if (!prev) return;
    const span = Math.max(0, t - prev.t);
    if (prev.value !== undefined && !prev.ok) {
      this.violatingMs += span;
      this.currentRun += span;
      this.longestMs = Math.max(this.longestMs, this.currentRun);
    } else this.currentRun = 0;
  }

  get violated(): boolean {
    return this.firstAt !== undefined;
  }

  get defined(): number {
    return this.definedSamples;
  }

  /**
   * The figures once the window is over (`end`, or the last sample when the run stopped early);
   * times relative to `windowStart`. Undefined when nothing was violated.
   */
  report(windowStart: number, end: number | undefined): ViolationReport | undefined {
    if (this.firstAt === undefined || !this.worst) return undefined;
    const last = this.last as Point;
    const windowEnd = Math.max(end ?? last.t, last.t);
    // Close a copy so report() can be called more than once.
    let violatingMs = this.violatingMs;
    let longestMs = this.longestMs;
    if (last.value !== undefined && !last.ok) {
      const span = windowEnd - last.t;
      violatingMs += span;
      longestMs = Math.max(longestMs, this.currentRun + span);
    }
    return {
      worst: this.worst.value,
      worstText: this.comparison.describeBreak(this.worst.value),
      worstAt: this.worst.t,
      worstAfterMs: this.worst.t - windowStart,
      startedAt: this.firstAt,
      startedAfterMs: this.firstAt - windowStart,
      violatingMs,
      longestMs,
      episodes: this.episodes,
      windowMs: windowEnd - windowStart,
      violatingSamples: this.violatingSamples,
      samples: this.definedSamples,
    };
  }
}
