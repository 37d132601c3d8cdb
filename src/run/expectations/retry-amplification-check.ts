import type { Expectation } from "../../experiment/schema.js";
import type {
  ExpectationEvaluator,
  ExpectationResult,
  ExpectationStatus,
} from "../../interfaces/expectation.js";
import type { CounterReader } from "../../interfaces/metric-source.js";
import type { LoadStatistics } from "../../load/load-statistics.js";
import type { Phase, Timeline } from "../timeline.js";
import { describeComparator, formatValue, holds } from "./comparator.js";

interface Reading {
  t: number;
  value: number | undefined;
}

/**
 * Calls that reached the dependency per unit of offered load during the fault, relative to the
 * baseline. 1.0 means retries added nothing; a retry storm shows up as 3-4x.
 */
export class RetryAmplificationCheck implements ExpectationEvaluator {
  readonly name: string;
  private state: ExpectationStatus = "pending";
  private readonly readings = new Map<"baseStart" | "baseEnd" | "faultStart" | "faultEnd", Reading>();
  private ratio: number | undefined;
  private detail = "";

  constructor(
    private readonly spec: Expectation,
    private readonly counter: CounterReader,
    private readonly load: LoadStatistics | undefined,
  ) {
    this.name = spec.name;
  }

  get settled(): boolean {
    return this.state !== "pending";
  }

  status(): ExpectationStatus {
    return this.state;
  }

  private async take(key: "baseStart" | "baseEnd" | "faultStart" | "faultEnd", now: number): Promise<void> {
    if (this.readings.has(key)) return;
    this.readings.set(key, { t: now, value: await this.counter.readAt(now) });
  }

  async tick(now: number, phase: Phase, timeline: Timeline): Promise<void> {
    if (this.settled) return;
    if (phase === "baseline") return this.take("baseStart", now);
    const window = this.spec.during ? timeline.faults[this.spec.during] : timeline.method;
    if (phase === "method" || phase === "rollback") await this.take("baseEnd", now);
    if (window?.start !== undefined && now >= window.start) await this.take("faultStart", now);
    if (window?.end !== undefined && this.readings.has("faultStart")) {
      await this.take("faultEnd", now);
      this.decide();
    }
  }

  /** Counter increase per load request (or per second without load) between two readings. */
  private rate(a: Reading | undefined, b: Reading | undefined): number | undefined {
    if (a?.value === undefined || b?.value === undefined || b.t <= a.t) return undefined;
    const calls = b.value - a.value;
    if (this.load) {
      const requests = this.load.counts({ start: a.t, end: b.t }).requests;
      return requests > 0 ? calls / requests : undefined;
    }
    return calls / ((b.t - a.t) / 1000);
  }

  private decide(): void {
    const base = this.rate(this.readings.get("baseStart"), this.readings.get("baseEnd"));
    const during = this.rate(this.readings.get("faultStart"), this.readings.get("faultEnd"));
    const unit = this.load ? "calls per request" : "calls/s";
    this.detail = `baseline ${formatValue(base)} ${unit}, during ${formatValue(during)} ${unit}`;
    if (base === undefined || during === undefined || base <= 0) {
      this.state = "failed";
      this.detail += " (no baseline traffic to the dependency: cannot compute amplification)";
      return;
    }
    this.ratio = during / base;
    this.state = holds(this.spec, this.ratio) ? "passed" : "failed";
  }

  finish(): ExpectationResult {
    if (this.state === "pending") {
      this.state = "failed";
      this.detail ||= "the fault window never completed";
    }
    return {
      name: this.name,
      semantics: `retry amplification to ${this.spec.dependency} ${this.spec.during ? `during ${this.spec.during}` : "during the method"}`,
      status: this.state,
      summary: `amplification ${formatValue(this.ratio)} (want ${describeComparator(this.spec)}): ${this.counter.description}; ${this.detail}`,
      samples: [...this.readings.values()].map((r) => ({
        t: r.t,
        value: r.value,
        ok: r.value !== undefined,
      })),
    };
  }
}
