import type { Expectation } from "../../experiment/schema.js";
import type { ExpectationEvaluator } from "../../interfaces/expectation.js";
import type { CounterReader, Probe } from "../../interfaces/metric-source.js";
import { createProbe, ProbeConfigError, type ProbeContext } from "../../probes/probe-factory.js";
import { promSelector } from "../../probes/promql.js";
import { AlertExpectation, prometheusAlertSource } from "./alert-expectation.js";
import { BreakerCycleCheck } from "./breaker-cycle-check.js";
import { RetryAmplificationCheck } from "./retry-amplification-check.js";
import { WindowExpectation } from "./window-expectation.js";

/** Metric names the built-in checks rely on; sandbox-services/README.md documents the convention. */
export const CONVENTIONS = {
  breakerState: "circuit_breaker_state",
  dependencyAttempts: "dependency_requests_total",
  /** Inbound requests of a service (without /health and /metrics). */
  serverRequests: "http_server_requests_total",
} as const;

/** Prefers PromQL when the target has Prometheus, else scrapes the calling service directly. */
function conventionProbe(
  ctx: ProbeContext,
  metric: string,
  service: string | undefined,
  labels: Record<string, string>,
  aggregate: "max" | "sum",
): Probe {
  if (ctx.prometheus) {
    return createProbe({ promql: `${aggregate}(${metric}{${promSelector({ service, ...labels })}})` }, ctx);
  }
  if (!service)
    throw new ProbeConfigError(
      `without a prometheus url, the check needs service: to know which /metrics to scrape`,
    );
  return createProbe({ scrape: { target: service, metric, labels: { service, ...labels }, aggregate } }, ctx);
}

export function createExpectation(
  spec: Expectation,
  ctx: ProbeContext,
  recoveryMs: number,
): ExpectationEvaluator {
  if (spec.alert) {
    const prom = ctx.prometheus;
    // The loader already refused any other source name; this is a target built without one.
    if (!prom || spec.alert.source !== "prometheus")
      throw new ProbeConfigError(`alert source "${spec.alert.source}" is not a Prometheus of the target`);
    return new AlertExpectation(spec, prometheusAlertSource(prom), ctx.observe);
  }
  if (spec.check === "breakerCycle") {
    const probe = conventionProbe(
      ctx,
      CONVENTIONS.breakerState,
      spec.service,
      { dependency: spec.dependency as string },
      "max",
    );
    return new BreakerCycleCheck(spec, probe, recoveryMs);
  }
  if (spec.check === "retryAmplification") {
    // Two raw counters read at the window's edges: not samples of the expectation's own series.
    const { observe: _observe, ...quiet } = ctx;
    const counter = (metric: string, labels: Record<string, string>): CounterReader => {
      const probe = conventionProbe(quiet, metric, spec.service, labels, "sum");
      return { description: probe.description, readAt: (t) => probe.sample({ start: t, end: t }) };
    };
    return new RetryAmplificationCheck(spec, {
      calls: counter(CONVENTIONS.dependencyAttempts, { dependency: spec.dependency as string }),
      received: counter(CONVENTIONS.serverRequests, {}),
    });
  }
  return new WindowExpectation(spec, createProbe(spec, ctx));
}
