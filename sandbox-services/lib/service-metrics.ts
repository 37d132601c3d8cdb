import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { ServiceName } from "./topology.js";

export const RETRY_BACKOFF_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
export const BREAKER_STATE = { closed: 0, half_open: 1, open: 2 } as const;
export type BreakerStateName = keyof typeof BREAKER_STATE;

/**
 * The metric contract experiments assert on (names and labels are documented in
 * sandbox-services/README.md). Every series carries `service` through the registry's default
 * labels, so Prometheus needs no relabelling.
 */
export function createServiceMetrics(service: ServiceName) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const dep = ["dependency"] as const;
  return {
    registry,
    serverRequests: new Counter({
      name: "http_server_requests_total",
      help: "Inbound HTTP requests by route and status",
      labelNames: ["route", "status"] as const,
      registers,
    }),
    serverInFlight: new Gauge({
      name: "http_server_requests_in_flight",
      help: "Inbound requests being handled right now",
      labelNames: ["route"] as const,
      registers,
    }),
    serverDuration: new Histogram({
      name: "http_server_request_duration_seconds",
      help: "Inbound HTTP request duration by route and status",
      labelNames: ["route", "status"] as const,
      registers,
    }),
    depRequests: new Counter({
      name: "dependency_requests_total",
      help: "Outbound attempts that reached the network (retries included), by outcome",
      labelNames: ["dependency", "outcome"] as const,
      registers,
    }),
    depInFlight: new Gauge({
      name: "dependency_in_flight",
      help: "Calls to the dependency admitted and not finished (retries and backoff included)",
      labelNames: dep,
      registers,
    }),
    depQueued: new Gauge({
      name: "dependency_queued",
      help: "Calls waiting for a bulkhead slot (bounded by its queue)",
      labelNames: dep,
      registers,
    }),
    depConcurrencyLimit: new Gauge({
      name: "dependency_concurrency_limit",
      help: "The bulkhead's limit on calls in flight to the dependency; 0 means no limit",
      labelNames: dep,
      registers,
    }),
    depShed: new Counter({
      name: "dependency_shed_total",
      help: "Calls the bulkhead refused because its limit was reached (no network)",
      labelNames: dep,
      registers,
    }),
    depRetries: new Counter({
      name: "dependency_retries_total",
      help: "Retries made",
      labelNames: dep,
      registers,
    }),
    depRetriesDenied: new Counter({
      name: "dependency_retries_denied_total",
      help: "Retries skipped because the retry budget was exhausted",
      labelNames: dep,
      registers,
    }),
    depTimeouts: new Counter({
      name: "dependency_timeouts_total",
      help: "Attempts that timed out",
      labelNames: dep,
      registers,
    }),
    depErrors: new Counter({
      name: "dependency_errors_total",
      help: "Attempts that failed with a connection error or a 5xx answer",
      labelNames: dep,
      registers,
    }),
    depShortCircuits: new Counter({
      name: "dependency_short_circuits_total",
      help: "Calls rejected by an open circuit breaker without touching the network",
      labelNames: dep,
      registers,
    }),
    retryBackoff: new Histogram({
      name: "dependency_retry_backoff_seconds",
      help: "Actual sleep before retry number `attempt`",
      labelNames: ["dependency", "attempt"] as const,
      buckets: RETRY_BACKOFF_BUCKETS,
      registers,
    }),
    retryBackoffPlanned: new Histogram({
      name: "dependency_retry_backoff_planned_seconds",
      help: "The delay the backoff policy chose before retry number `attempt` (ceiling and jitter, no timer lag)",
      labelNames: ["dependency", "attempt"] as const,
      buckets: RETRY_BACKOFF_BUCKETS,
      registers,
    }),
    breakerState: new Gauge({
      name: "circuit_breaker_state",
      help: "Circuit breaker state: 0 closed, 1 half-open, 2 open",
      labelNames: dep,
      registers,
    }),
    breakerTransitions: new Counter({
      name: "circuit_breaker_transitions_total",
      help: "Circuit breaker state changes by target state",
      labelNames: ["dependency", "to"] as const,
      registers,
    }),
    fallbacks: new Counter({
      name: "fallback_total",
      help: "Answers served by a fallback",
      labelNames: dep,
      registers,
    }),
  };
}

export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;

/**
 * Creates every series of a dependency at zero, so rate() and absence checks work before the
 * first failure, and the breaker gauge exists (at 0) even when the breaker is switched off.
 */
export function initDependencySeries(m: ServiceMetrics, dependency: string): void {
  for (const outcome of ["success", "error", "timeout"]) m.depRequests.inc({ dependency, outcome }, 0);
  for (const c of [
    m.depRetries,
    m.depRetriesDenied,
    m.depTimeouts,
    m.depErrors,
    m.depShortCircuits,
    m.depShed,
    m.fallbacks,
  ]) {
    c.inc({ dependency }, 0);
  }
  for (const to of ["open", "half_open", "closed"]) m.breakerTransitions.inc({ dependency, to }, 0);
  m.breakerState.set({ dependency }, BREAKER_STATE.closed);
  m.depInFlight.set({ dependency }, 0);
  m.depQueued.set({ dependency }, 0);
}
