import { formatDuration } from "../../experiment/duration.js";
import type { Expectation } from "../../experiment/schema.js";
import type {
  ExpectationEvaluator,
  ExpectationResult,
  ExpectationStatus,
  ObservedSample,
} from "../../interfaces/expectation.js";
import type { ActiveAlert, PrometheusClient } from "../../probes/prometheus-client.js";
import { promSelector } from "../../probes/promql.js";
import type { Phase, Timeline } from "../timeline.js";

/** Reads the alerts of one source (a target's Prometheus). */
export interface AlertSource {
  readonly description: string;
  /** The alerts active now (pending or firing). */
  alerts(): Promise<ActiveAlert[]>;
  /**
   * Whether the alert (name and labels) was firing at any rule evaluation in (start, end], from
   * Prometheus' own ALERTS series: a firing shorter than the gap between two samples still counts.
   */
  firedBetween(
    alert: { name: string; labels: Record<string, string> },
    start: number,
    end: number,
  ): Promise<boolean>;
}

/** The ALERTS selector of an alert, names and values escaped: a file's label value stays a value. */
export function alertsSelector(alert: { name: string; labels: Record<string, string> }): string {
  return `ALERTS{${promSelector({ ...alert.labels, alertname: alert.name, alertstate: "firing" })}}`;
}

/** A target's Prometheus as an alert source: its alerts API, and its ALERTS series for the history. */
export function prometheusAlertSource(prom: PrometheusClient): AlertSource {
  return {
    description: `the alerts API of ${prom.url}`,
    alerts: () => prom.alerts(),
    firedBetween: async (alert, start, end) => {
      const range = `${Math.max(1, Math.ceil(end - start))}ms`;
      return (await prom.instant(`max(max_over_time(${alertsSelector(alert)}[${range}]))`, end)) === 1;
    },
  };
}

/** Chart values of an alert's state: 1 firing, 0.5 pending, 0 not active. */
const STATE_VALUE = { firing: 1, pending: 0.5, inactive: 0 } as const;
/**
 * An alert that went active this long before the fault started was not fired by it. The slack
 * covers a Prometheus clock a little ahead of ours.
 */
const ACTIVE_BEFORE_SLACK_MS = 2_000;
const MAX_KEPT_SAMPLES = 600;

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/**
 * Detection as a countermeasure: the named alert (with these labels) is firing within
 * `firesWithin` of the fault's start and stops firing within `resolvesWithin` of its verified
 * revert. An alert that never fires while the fault bit is a monitoring gap, and says so.
 */
export class AlertExpectation implements ExpectationEvaluator {
  readonly name: string;
  private state: ExpectationStatus = "pending";
  private finished = false;
  private firedAt: number | undefined;
  private resolvedAt: number | undefined;
  /** Firing already before the fault (activeAt earlier than its start): not this fault's alert. */
  private staleSince: number | undefined;
  private staleNow = false;
  /** Up to when the ALERTS history was already read for a firing. */
  private checkedUntil: number | undefined;
  private reason = "";
  private readonly samples: ObservedSample[] = [];
  private readonly alert: NonNullable<Expectation["alert"]>;
  private readonly fault: string;

  constructor(
    spec: Expectation,
    private readonly source: AlertSource,
    private readonly observe?: (t: number, value: number | undefined) => void,
  ) {
    if (!spec.alert || !spec.during) throw new Error("AlertExpectation needs alert and during");
    this.name = spec.name;
    this.alert = spec.alert;
    this.fault = spec.during;
  }

  /** `OrdersBreakerOpen{service="orders"}`: the alert as PromQL's ALERTS series would select it. */
  get subject(): string {
    const labels = promSelector(this.alert.labels);
    return `alert ${this.alert.name}${labels ? `{${labels}}` : ""}`;
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

  private matches(a: ActiveAlert): boolean {
    if (a.labels.alertname !== this.alert.name) return false;
    return Object.entries(this.alert.labels).every(([k, v]) => a.labels[k] === v);
  }

  /** The matching alert's state now: firing wins over pending (several series may match). */
  private async read(now: number, faultStart: number): Promise<keyof typeof STATE_VALUE> {
    const mine = (await this.source.alerts()).filter((a) => this.matches(a));
    const firing = mine.filter((a) => a.state === "firing");
    const fresh = firing.filter(
      (a) => a.activeAt === undefined || a.activeAt >= faultStart - ACTIVE_BEFORE_SLACK_MS,
    );
    this.staleNow = firing.length > 0 && fresh.length === 0;
    if (this.staleNow) this.staleSince ??= now;
    const state =
      fresh.length > 0 || (this.firedAt !== undefined && firing.length > 0)
        ? "firing"
        : mine.length
          ? "pending"
          : "inactive";
    const value = STATE_VALUE[state];
    this.observe?.(now, value);
    if (this.samples.length < MAX_KEPT_SAMPLES) this.samples.push({ t: now, value, ok: state === "firing" });
    return state;
  }

  private settle(status: ExpectationStatus, reason = ""): void {
    this.state = status;
    this.reason = reason;
    this.finished = true;
  }

  async tick(now: number, _phase: Phase, timeline: Timeline): Promise<void> {
    if (this.finished) return;
    const fault = timeline.faults[this.fault];
    if (fault?.start === undefined || now < fault.start) return;
    const fireDeadline = fault.start + this.alert.firesWithin;
    const state = await this.read(now, fault.start);
    if (this.firedAt === undefined) {
      if (state === "firing" && now <= fireDeadline) {
        this.firedAt = now;
        return;
      }
      // Between two samples (a loaded machine may space them seconds apart) it may have fired and
      // resolved again: Prometheus' history says so. Never past the deadline, never a stale one.
      const from = this.checkedUntil ?? fault.start;
      const until = Math.min(now, fireDeadline);
      if (until > from && !this.staleNow && (await this.source.firedBetween(this.alert, from, until)))
        this.firedAt = until;
      this.checkedUntil = Math.max(from, until);
      if (this.firedAt === undefined && now >= fireDeadline) this.settle("failed", this.neverFired());
      return;
    }
    if (fault.end === undefined) return;
    const resolveDeadline = fault.end + this.alert.resolvesWithin;
    if (state !== "firing") {
      this.resolvedAt = now;
      if (now <= resolveDeadline) this.settle("passed");
      else this.settle("failed", `resolved only ${secs(now - fault.end)} after ${this.fault} was reverted`);
    } else if (now > resolveDeadline)
      this.settle(
        "failed",
        `fired but was still firing ${formatDuration(this.alert.resolvesWithin)} after ${this.fault} was reverted`,
      );
  }

  private neverFired(): string {
    const stale =
      this.staleSince === undefined
        ? ""
        : " (it was already firing before the fault started, so it says nothing about it)";
    return `never fired within ${formatDuration(this.alert.firesWithin)} of ${this.fault}'s start${stale}: a monitoring gap`;
  }

  finish(timeline: Timeline): ExpectationResult {
    const fault = timeline.faults[this.fault];
    if (this.state === "pending") {
      if (this.firedAt === undefined) this.settle("failed", this.neverFired());
      else this.settle("failed", `fired but had not resolved when the run ended`);
    }
    const afterStart = (t: number | undefined) =>
      t === undefined || fault?.start === undefined ? "-" : `${secs(t - fault.start)}`;
    const afterRevert = (t: number | undefined) =>
      t === undefined || fault?.end === undefined ? "-" : `${secs(t - fault.end)}`;
    const fired =
      this.firedAt === undefined ? "" : `fired ${afterStart(this.firedAt)} after ${this.fault}'s start`;
    const resolved =
      this.resolvedAt === undefined
        ? ""
        : `, resolved ${afterRevert(this.resolvedAt)} after its verified revert`;
    const seen = `${this.samples.length} samples of ${this.source.description}`;
    const summary =
      this.state === "passed"
        ? `${this.subject} ${fired}${resolved} (limits ${formatDuration(this.alert.firesWithin)} and ${formatDuration(this.alert.resolvesWithin)}; ${seen})`
        : `${this.subject} ${this.reason}${fired ? ` (${fired}${resolved})` : ""} (${seen})`;
    return {
      name: this.name,
      semantics: `fires within ${formatDuration(this.alert.firesWithin)} of ${this.fault}'s start, resolves within ${formatDuration(this.alert.resolvesWithin)} after its revert`,
      status: this.state,
      summary,
      samples: this.samples,
      ...(this.firedAt === undefined && this.state === "failed"
        ? { monitoringGap: { fault: this.fault } }
        : {}),
    };
  }
}
