import CircuitBreaker from "opossum";
import { type DependencyPolicy, MAX_TIMER_MS } from "./service-config.js";
import { BREAKER_STATE, type BreakerStateName, type ServiceMetrics } from "./service-metrics.js";

/**
 * Wraps an action in an opossum breaker whose state changes are mirrored in
 * circuit_breaker_state and circuit_breaker_transitions_total.
 */
export function createCircuitBreaker<T>(
  policy: DependencyPolicy,
  metrics: ServiceMetrics,
  action: () => Promise<T>,
): CircuitBreaker<[], T> {
  const dependency = policy.name;
  const breaker = new CircuitBreaker<[], T>(action, {
    name: dependency,
    // Always false: the attempt enforces its own timeout and destroys the socket, whereas
    // opossum's would only reject the promise and leave the request running. Leaving opossum's
    // default (10 s) would also cut calls short when the `timeout` break turns timeouts off.
    timeout: false,
    errorThresholdPercentage: policy.breaker.errorThresholdPercentage,
    rollingCountTimeout: policy.breaker.rollingCountTimeoutMs,
    volumeThreshold: policy.breaker.volumeThreshold,
    // opossum has no "never half-open": the `breaker-close` switch sets the longest timer instead.
    resetTimeout: policy.breaker.halfOpen ? policy.breaker.resetTimeoutMs : MAX_TIMER_MS,
  });
  const mirror = (to: BreakerStateName) => () => {
    metrics.breakerState.set({ dependency }, BREAKER_STATE[to]);
    metrics.breakerTransitions.inc({ dependency, to });
  };
  breaker.on("open", mirror("open"));
  breaker.on("halfOpen", mirror("half_open"));
  breaker.on("close", mirror("closed"));
  return breaker;
}

/** True for opossum's fail-fast rejection while open. */
export function isShortCircuit(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === "EOPENBREAKER";
}
