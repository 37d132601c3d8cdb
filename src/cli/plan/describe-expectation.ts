import { formatDuration } from "../../experiment/duration.js";
import type { Expectation, Experiment } from "../../experiment/schema.js";
import type { MetricSelection } from "../../probes/probe-factory.js";
import { promSelector } from "../../probes/promql.js";
import { type ComparatorFields, Comparison } from "../../run/expectations/comparator.js";

/** Where a number comes from, as a short phrase. */
export function describeSource(e: MetricSelection): string {
  if (e.source === "load") return `load ${e.metric}`;
  if (e.promql !== undefined) return `promql ${e.promql}`;
  if (e.scrape) return `scrape ${e.scrape.aggregate}(${e.scrape.metric}) from ${e.scrape.target}`;
  if (e.http) return `http status of ${e.http.url}`;
  return "no metric source";
}

const at = (ms: number) => `+${formatDuration(ms)}`;

/** The end of the method: the last fault's end, as offsets from the method's start. */
const methodEnd = (exp: Experiment) => Math.max(...exp.spec.faults.map((f) => f.at + f.for));

/**
 * The time semantics of an expectation and its window, with offsets from the method's start,
 * e.g. "eventually within 10s of slow-payments' start: +2s..+12s". Mirrors WindowExpectation.
 */
export function describeTiming(e: Expectation, exp: Experiment): string {
  const fault = e.during ? exp.spec.faults.find((f) => f.name === e.during) : undefined;
  const base = fault ? { start: fault.at, end: fault.at + fault.for } : { start: 0, end: methodEnd(exp) };
  const name = fault ? `fault ${fault.name}` : "the method";
  if (e.recoveredWithin !== undefined)
    return `recovered: holds again within ${formatDuration(e.recoveredWithin)} after the verified rollback`;
  if (e.at === "end") return `at end: once at ${at(methodEnd(exp))}, after the method and before rollback`;
  if (e.within !== undefined)
    return `eventually: at least once within ${formatDuration(e.within)} of the start of ${name}, ${at(base.start)}..${at(base.start + e.within)}`;
  return `always: every sample during ${name}, ${at(base.start)}..${at(base.end)}`;
}

/** Anything that reads a number and compares it: a steady-state check, an expectation, an abort condition. */
export type Assertion = MetricSelection &
  ComparatorFields &
  Partial<Pick<Expectation, "check" | "service" | "dependency" | "closedWithin">>;

const describeComparator = (e: Assertion): string => Comparison.of(e).describePlanned();

/** What is compared: a metric and its threshold, or a built-in check with its parameters. */
export function describeAssertion(e: Assertion): string {
  if (e.check === "breakerCycle")
    return `check breakerCycle: ${e.service}'s breaker to ${e.dependency} opens (state 2)${
      e.closedWithin !== undefined
        ? ` and closes (0) within ${formatDuration(e.closedWithin)} after the fault`
        : ""
    }`;
  if (e.check === "retryAmplification")
    return `check retryAmplification: calls from ${e.service} to ${e.dependency} per request ${e.service} received, vs the baseline, ${describeComparator(e)}`;
  return `${describeSource(e)} ${describeComparator(e)}`;
}

/** One line of `gameday plan` per expectation: name, assertion, semantics and window. */
export function describeExpectation(e: Expectation, exp: Experiment): string {
  if (e.alert) {
    const labels = promSelector(e.alert.labels);
    const fault = exp.spec.faults.find((f) => f.name === e.during);
    const from = fault ? `, ${at(fault.at)}..${at(fault.at + e.alert.firesWithin)}` : "";
    return `${e.name}: alert ${e.alert.name}${labels ? `{${labels}}` : ""} on the target's ${e.alert.source}; fires within ${formatDuration(e.alert.firesWithin)} of the start of fault ${e.during}${from}, resolves within ${formatDuration(e.alert.resolvesWithin)} after its verified revert`;
  }
  return `${e.name}: ${describeAssertion(e)}; ${describeTiming(e, exp)}`;
}
