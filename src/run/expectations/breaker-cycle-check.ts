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
import { formatValue } from "./comparator.js";

/** Conventional gauge values of circuit_breaker_state. */
export const BREAKER_OPEN = 2;
export const BREAKER_CLOSED = 0;

/**
 * "The breaker opened during the fault and closed again after it": the countermeasure both
 * protected the caller and let traffic back in. Either half alone is a regression.
 */
export class BreakerCycleCheck implements ExpectationEvaluator {
  readonly name: string;
  private state: ExpectationStatus = "pending";
  private openedAt: number | undefined;
  private closedAt: number | undefined;
  private readonly samples: ObservedSample[] = [];
  private reason = "";

  constructor(
    private readonly spec: Expectation,
    private readonly probe: Probe,
    private readonly defaultCloseMs: number,
  ) {
    this.name = spec.name;
  }

  get settled(): boolean {
    return this.state !== "pending";
  }

  get done(): boolean {
    return this.settled;
  }

  status(): ExpectationStatus {
    return this.state;
  }

  async tick(now: number, _phase: Phase, timeline: Timeline): Promise<void> {
    if (this.settled) return;
    const fault = timeline.faults[this.spec.during as string];
    if (fault?.start === undefined || now < fault.start) return;
    const openDeadline = fault.start + (this.spec.within ?? Number.POSITIVE_INFINITY);
    const value = await this.probe.sample({ start: fault.start, end: now });
    this.samples.push({ t: now, value, ok: value !== undefined });
    if (this.openedAt === undefined) {
      if (value === BREAKER_OPEN && now <= openDeadline && (fault.end === undefined || now <= fault.end))
        this.openedAt = now;
      else if (now > openDeadline || fault.end !== undefined) {
        this.state = "failed";
        this.reason = `never opened ${this.spec.within ? `within ${formatDuration(this.spec.within)} of` : "during"} ${this.spec.during}`;
      }
      return;
    }
    if (fault.end === undefined) return;
    if (value === BREAKER_CLOSED) {
      this.closedAt = now;
      this.state = "passed";
    } else if (now > fault.end + this.closeWindow()) {
      this.state = "failed";
      this.reason = `opened but did not close within ${formatDuration(this.closeWindow())} after ${this.spec.during} ended (last state ${formatValue(value)})`;
    }
  }

  private closeWindow(): number {
    return this.spec.closedWithin ?? this.defaultCloseMs;
  }

  finish(timeline: Timeline): ExpectationResult {
    const fault = timeline.faults[this.spec.during as string];
    if (this.state === "pending") {
      this.state = "failed";
      this.reason ||=
        this.openedAt === undefined
          ? `never opened during ${this.spec.during}`
          : "did not close before the run ended";
    }
    const values = this.samples.filter((s) => s.value !== undefined).map((s) => s.value as number);
    const rel = (t: number | undefined) =>
      t === undefined || fault?.start === undefined ? "-" : `+${((t - fault.start) / 1000).toFixed(1)}s`;
    const seen = values.length
      ? `states seen ${[...new Set(values)].join(",")} over ${values.length} samples`
      : "no data";
    const subject = `breaker ${this.spec.service}->${this.spec.dependency}`;
    return {
      name: this.name,
      semantics: `opens during ${this.spec.during}, closes within ${formatDuration(this.closeWindow())} after it`,
      status: this.state,
      summary:
        this.state === "passed"
          ? `${subject} opened at ${rel(this.openedAt)} and closed at ${rel(this.closedAt)} from the fault's start (${seen})`
          : `${subject} ${this.reason} (${seen}; opened ${rel(this.openedAt)})`,
      samples: this.samples,
    };
  }
}
