import { setTimeout as sleep } from "node:timers/promises";
import type CircuitBreaker from "opossum";
import { backoffDelayMs } from "./backoff.js";
import { Bulkhead } from "./bulkhead.js";
import { createCircuitBreaker, isShortCircuit } from "./circuit-breaker.js";
import { type AttemptResult, httpAttempt } from "./http-attempt.js";
import { RetryBudget } from "./retry-budget.js";
import type { DependencyPolicy } from "./service-config.js";
import { initDependencySeries, type ServiceMetrics } from "./service-metrics.js";

export type FailureReason = "timeout" | "error" | "short_circuit" | "shed";

export type CallResult =
  | { kind: "response"; status: number; body: string }
  | { kind: "fallback"; reason: FailureReason }
  | { kind: "failure"; reason: FailureReason; detail: string };

/** The last attempt's failure, thrown inside the breaker so opossum counts it. */
class DependencyFailure extends Error {
  constructor(readonly reason: "timeout" | "error") {
    super(`dependency ${reason}`);
  }
}

export type ClientEventKind =
  | "retry"
  | "retry_denied"
  | "shed"
  | "short_circuit"
  | "fallback"
  | "retries_exhausted";

/** What the client tells its service's log: each attempt and each countermeasure's decision. */
export interface ClientObserver {
  /** Headers for attempt `n` (its traceparent), and the callback told its result. */
  beginAttempt(n: number): {
    headers: Record<string, string>;
    end(r: AttemptResult, durationMs: number): void;
  };
  event(kind: ClientEventKind, fields: Record<string, unknown>): void;
}

export interface ClientDeps {
  random?: () => number;
  now?: () => number;
  attempt?: (url: URL, timeoutMs: number, headers?: Record<string, string>) => Promise<AttemptResult>;
  observer?: ClientObserver;
}

/**
 * A dependency client with the countermeasures of its policy, layered from the outside in:
 * fallback, bulkhead (load shedding), circuit breaker, retries (exponential backoff, jitter,
 * budget), per-attempt timeout. The bulkhead sits outside the breaker, so a shed call is not a
 * dependency failure: shedding must not open the breaker by itself.
 */
export class ResilientClient {
  private readonly url: URL;
  private readonly budget: RetryBudget;
  private readonly bulkhead: Bulkhead;
  private readonly breaker: CircuitBreaker<[], AttemptResult> | undefined;
  private readonly random: () => number;
  private readonly attempt: (
    url: URL,
    timeoutMs: number,
    headers?: Record<string, string>,
  ) => Promise<AttemptResult>;
  private readonly observer: ClientObserver | undefined;

  constructor(
    readonly policy: DependencyPolicy,
    private readonly metrics: ServiceMetrics,
    deps: ClientDeps = {},
  ) {
    this.url = new URL(policy.path, policy.url);
    this.budget = new RetryBudget(policy.budget, deps.now);
    this.random = deps.random ?? Math.random;
    this.attempt = deps.attempt ?? httpAttempt;
    this.observer = deps.observer;
    initDependencySeries(metrics, policy.name);
    metrics.depConcurrencyLimit.set({ dependency: policy.name }, policy.bulkhead.maxConcurrent);
    this.bulkhead = new Bulkhead(policy.bulkhead, {
      onChange: (inFlight, queued) => {
        metrics.depInFlight.set({ dependency: policy.name }, inFlight);
        metrics.depQueued.set({ dependency: policy.name }, queued);
      },
    });
    this.breaker = policy.breaker.enabled
      ? createCircuitBreaker(policy, metrics, () => this.withRetries())
      : undefined;
  }

  /** Stops the breaker's timers: a config reload replaced this client (calls in flight finish). */
  close(): void {
    this.breaker?.shutdown();
  }

  async call(): Promise<CallResult> {
    const dependency = this.policy.name;
    try {
      const admitted = await this.bulkhead.run(() =>
        this.breaker ? this.breaker.fire() : this.withRetries(),
      );
      if (!admitted) {
        this.metrics.depShed.inc({ dependency });
        const { maxConcurrent, maxQueue } = this.policy.bulkhead;
        this.observer?.event("shed", { dependency, reason: "shed", in_flight: maxConcurrent });
        return this.failed("shed", `${maxConcurrent} calls in flight and ${maxQueue} waiting`);
      }
      const r = admitted.value;
      return { kind: "response", status: r.status ?? 0, body: r.body ?? "" };
    } catch (err) {
      const reason: FailureReason = isShortCircuit(err)
        ? "short_circuit"
        : err instanceof DependencyFailure
          ? err.reason
          : "error";
      if (reason === "short_circuit") {
        this.metrics.depShortCircuits.inc({ dependency });
        this.observer?.event("short_circuit", { dependency, reason: "short-circuit" });
      }
      return this.failed(reason, err instanceof Error ? err.message : String(err));
    }
  }

  /** The fallback when the policy has one, else the failure. */
  private failed(reason: FailureReason, detail: string): CallResult {
    if (!this.policy.fallback) return { kind: "failure", reason, detail };
    this.metrics.fallbacks.inc({ dependency: this.policy.name });
    this.observer?.event("fallback", { dependency: this.policy.name, reason: "fallback", cause: reason });
    return { kind: "fallback", reason };
  }

  private async withRetries(): Promise<AttemptResult> {
    const dependency = this.policy.name;
    this.budget.recordRequest();
    for (let retry = 1; ; retry++) {
      const span = this.observer?.beginAttempt(retry);
      const attemptStarted = performance.now();
      const r = await this.attempt(this.url, this.policy.timeoutMs, span?.headers);
      span?.end(r, performance.now() - attemptStarted);
      this.metrics.depRequests.inc({ dependency, outcome: r.outcome });
      if (r.outcome === "success") return r;
      (r.outcome === "timeout" ? this.metrics.depTimeouts : this.metrics.depErrors).inc({ dependency });
      if (retry > this.policy.retries) {
        // Only a policy with retries gives up after them; a single failed attempt says it already.
        if (this.policy.retries > 0)
          this.observer?.event("retries_exhausted", {
            dependency,
            attempts: retry,
            reason: "retries-exhausted",
            cause: r.outcome,
          });
        throw new DependencyFailure(r.outcome);
      }
      if (this.policy.budget.enabled && !this.budget.tryAcquireRetry()) {
        this.metrics.depRetriesDenied.inc({ dependency });
        this.observer?.event("retry_denied", { dependency, attempt: retry, reason: "retry-budget" });
        throw new DependencyFailure(r.outcome);
      }
      this.metrics.depRetries.inc({ dependency });
      const delayMs = backoffDelayMs(retry, this.policy.backoff, this.random);
      this.observer?.event("retry", {
        dependency,
        attempt: retry + 1,
        reason: "retry",
        cause: r.outcome,
        delay_ms: Math.round(delayMs),
      });
      // Both: the planned delay shows the policy (exact, whatever the machine's load); the
      // measured sleep shows that it was really waited (plus the event loop's lag).
      this.metrics.retryBackoffPlanned.observe({ dependency, attempt: String(retry) }, delayMs / 1000);
      const started = performance.now();
      await sleep(delayMs);
      this.metrics.retryBackoff.observe(
        { dependency, attempt: String(retry) },
        (performance.now() - started) / 1000,
      );
    }
  }
}
