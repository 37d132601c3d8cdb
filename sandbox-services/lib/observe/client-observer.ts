import type { ClientObserver } from "../resilient-client.js";
import { currentSpan, formatTraceparent, newSpanId, newTraceId } from "./trace-context.js";

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Logs every outgoing attempt (its own span, whose traceparent goes to the dependency) and every
 * countermeasure decision, under the trace of the request that made them.
 */
export function clientObserver(
  log: { info(fields: Record<string, unknown>): void },
  dependency: string,
): ClientObserver {
  return {
    beginAttempt(attempt) {
      const parent = currentSpan.getStore();
      const traceId = parent?.traceId ?? newTraceId();
      const spanId = newSpanId();
      return {
        headers: { traceparent: formatTraceparent(traceId, spanId, parent?.flags) },
        end(r, durationMs) {
          log.info({
            event: "attempt",
            dependency,
            attempt,
            duration_ms: round(durationMs),
            outcome: r.outcome,
            status: r.status,
            reason: r.outcome === "success" ? undefined : r.outcome,
            detail: r.detail,
            trace_id: traceId,
            span_id: spanId,
            parent_span_id: parent?.spanId,
          });
        },
      };
    },
    event(kind, fields) {
      const span = currentSpan.getStore();
      log.info({ event: kind, ...fields, trace_id: span?.traceId, span_id: span?.spanId });
    },
  };
}
