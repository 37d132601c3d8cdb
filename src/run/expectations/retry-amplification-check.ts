import type { Expectation } from "../../experiment/schema.js";
import type {
  ExpectationEvaluator,
  ExpectationResult,
  ExpectationStatus,
} from "../../interfaces/expectation.js";
import type { CounterReader } from "../../interfaces/metric-source.js";
import type { Phase, Timeline } from "../timeline.js";
import { Comparison, formatValue } from "./comparator.js";

type Mark = "baseStart" | "baseEnd" | "faultStart" | "faultEnd";

/** Both counters read at the same instant. */
export interface Reading {
  t: number;
  calls: number | undefined;
  received: number | undefined;
}

export interface AmplificationCounters {
  /** Attempts from the service to the dependency, retries included (dependency_requests_total). */
  calls: CounterReader;
  /** Requests the service itself received (http_server_requests_total). */
  received: CounterReader;
}

/** Calls per received request between two readings, with the figures behind it. */
export interface PerRequest {
  calls: number;
  received: number;
  ratio: number | undefined;
}

export function perRequest(a: Reading | undefined, b: Reading | undefined): PerRequest | undefined {
  if (
    a?.calls === undefined ||
    a.received === undefined ||
    b?.calls === undefined ||
    b.received === undefined
  )
    return undefined;
  const calls = b.calls - a.calls;
  const received = b.received - a.received;
  return { calls, received, ratio: received > 0 ? calls / received : undefined };
}

/**
 * The retrying service's calls to the dependency per request it received itself, during the
 * fault, divided by the same in the baseline. 1.0 means retries added nothing; every attempt of
 * 4 timing out shows up as about 4 however much load an upstream breaker sheds (a ratio per
 * load request would fall instead, hiding the storm).
 */
export class RetryAmplificationCheck implements ExpectationEvaluator {
  readonly name: string;
  private state: ExpectationStatus = "pending";
  private readonly readings = new Map<Mark, Reading>();
  private readonly comparison: Comparison;
  private ratio: number | undefined;
  private detail = "";

  constructor(
    private readonly spec: Expectation,
    private readonly counters: AmplificationCounters,
  ) {
    this.name = spec.name;
    this.comparison = Comparison.of(spec, "factor");
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

  private async take(key: Mark, now: number): Promise<void> {
    if (this.readings.has(key)) return;
    const [calls, received] = await Promise.all([
      this.counters.calls.readAt(now),
      this.counters.received.readAt(now),
    ]);
    this.readings.set(key, { t: now, calls, received });
  }

  async tick(now: number, phase: Phase, timeline: Timeline): Promise<void> {
    if (this.settled) return;
    if (phase === "baseline") return this.take("baseStart", now);
    const window = this.spec.during ? timeline.faults[this.spec.during] : timeline.method;
    if (phase === "method" || phase === "rollback") await this.take("baseEnd", now);
    if (window?.start !== undefined && now >= window.start) await this.take("faultStart", now);
    if (window?.end !== undefined && now >= window.end && this.readings.has("faultStart")) {
      await this.take("faultEnd", now);
      this.decide();
    }
  }

  private decide(): void {
    const service = this.spec.service;
    const base = perRequest(this.readings.get("baseStart"), this.readings.get("baseEnd"));
    const during = perRequest(this.readings.get("faultStart"), this.readings.get("faultEnd"));
    const show = (p: PerRequest | undefined) =>
      p ? `${formatValue(p.ratio)} (${p.calls} calls / ${p.received} requests)` : "no data";
    this.detail = `calls to ${this.spec.dependency} per request ${service} received: baseline ${show(base)}, during ${show(during)}`;
    if (base?.ratio === undefined || base.ratio <= 0) {
      this.fail(`no baseline: ${service} received no requests or made no calls before the fault`);
      return;
    }
    if (during?.ratio === undefined) {
      this.fail(`${service} received no requests during the fault, so its retries could not be measured`);
      return;
    }
    this.ratio = during.ratio / base.ratio;
    this.state = this.comparison.holds(this.ratio) ? "passed" : "failed";
  }

  private fail(why: string): void {
    this.state = "failed";
    this.detail += ` (${why})`;
  }

  finish(): ExpectationResult {
    if (this.state === "pending") {
      this.state = "failed";
      this.detail ||= "the fault window never completed";
    }
    return {
      name: this.name,
      semantics: `retry amplification ${this.spec.service}->${this.spec.dependency} ${this.spec.during ? `during ${this.spec.during}` : "during the method"}`,
      status: this.state,
      summary: `amplification ${this.comparison.format(this.ratio)} (want ${this.comparison.describe()}): ${this.detail}; from ${this.counters.calls.description} and ${this.counters.received.description}`,
      threshold: this.comparison.resolved(),
      samples: [...this.readings.values()].map((r) => ({
        t: r.t,
        value: r.calls,
        ok: r.calls !== undefined && r.received !== undefined,
      })),
    };
  }
}
