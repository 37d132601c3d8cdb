import { formatDuration } from "../../experiment/duration.js";
import type { Expectation } from "../../experiment/schema.js";
import type {
  ExpectationEvaluator,
  ExpectationResult,
  ExpectationStatus,
  ObservedSample,
} from "../../interfaces/expectation.js";
import type { Probe } from "../../interfaces/metric-source.js";
import type { Phase, Timeline } from "../timeline.js";
import { describeComparator, formatValue, holds } from "./comparator.js";

type Semantics = "always" | "eventually" | "end" | "recovered";
const MAX_KEPT_SAMPLES = 600;

/** A metric expectation with one of four time semantics, decided from the fields that are present. */
export class WindowExpectation implements ExpectationEvaluator {
  readonly name: string;
  private readonly semantics: Semantics;
  private state: ExpectationStatus = "pending";
  private readonly samples: ObservedSample[] = [];
  private failure: ObservedSample | undefined;
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
  }

  get settled(): boolean {
    return this.state !== "pending";
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
    if (this.settled) return;
    if (this.semantics === "end") {
      if (phase !== "rollback" || this.endSampled) return;
      this.endSampled = true;
      const start = timeline.method?.start ?? now;
      this.decide(await this.sample(start, now));
      return;
    }
    const w = this.window(timeline);
    if (w.start === undefined || now < w.start) return;
    if (w.end !== undefined && now > w.end) {
      // The window is over: settle now so the run need not wait out the recovery window.
      if (this.semantics !== "always") this.fail(undefined);
      else if (this.samples.some((s) => s.value !== undefined)) this.state = "passed";
      else this.fail(undefined);
      return;
    }
    const s = await this.sample(w.start, now);
    if (this.semantics === "always") {
      if (s.value !== undefined && !s.ok) this.fail(s);
    } else if (s.ok) this.state = "passed";
  }

  private async sample(start: number, now: number): Promise<ObservedSample> {
    const value = await this.probe.sample({ start, end: now });
    const s = { t: now, value, ok: value !== undefined && holds(this.spec, value) };
    if (this.samples.length < MAX_KEPT_SAMPLES) this.samples.push(s);
    return s;
  }

  private decide(s: ObservedSample): void {
    if (s.ok) this.state = "passed";
    else this.fail(s);
  }

  private fail(s: ObservedSample | undefined): void {
    this.state = "failed";
    this.failure = s;
  }

  finish(timeline: Timeline): ExpectationResult {
    const defined = this.samples.filter((s) => s.value !== undefined);
    if (this.state === "pending") {
      if (this.semantics === "always" && defined.length > 0 && this.window(timeline).start !== undefined)
        this.state = "passed";
      else this.state = "failed";
    }
    return {
      name: this.name,
      semantics: this.describeSemantics(),
      status: this.state,
      summary: this.summarise(defined),
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

  private summarise(defined: ObservedSample[]): string {
    const want = `${this.probe.description} ${describeComparator(this.spec)}`;
    const values = defined.map((s) => s.value as number);
    const range = values.length
      ? `observed min ${formatValue(Math.min(...values))}, max ${formatValue(Math.max(...values))}, last ${formatValue(values.at(-1))} over ${values.length} samples`
      : "no data in the window";
    if (this.state === "passed") return `${want}: held (${range})`;
    const at = this.failure
      ? ` first violated with ${formatValue(this.failure.value)} at ${new Date(this.failure.t).toISOString()};`
      : "";
    if (this.semantics === "eventually" || this.semantics === "recovered")
      return `${want}: never held in its window;${at} ${range}`;
    return `${want}: did not hold;${at} ${range}`;
  }
}
