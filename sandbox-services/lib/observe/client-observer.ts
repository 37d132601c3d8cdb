import type { ClientEventKind, ClientObserver } from "../resilient-client.js";
import type { RequestLog } from "../service-bootstrap.js";
import { NO_SPAN_EXPORT, type SpanExport } from "./span-export.js";
import { currentSpan, formatTraceparent, newSpanId, newTraceId } from "./trace-context.js";

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Each countermeasure decision at the level an on-call engineer would search for: a retry, a shed
 * call, a short circuit and a fallback are warnings (the service coped), giving up is an error.
 */
const EVENT_LEVEL: Record<ClientEventKind, "warn" | "error"> = {
  retry: "warn",
  retry_denied: "warn",
  shed: "warn",
  short_circuit: "warn",
  fallback: "warn",
  retries_exhausted: "error",
};

/** The event in words, so a log search reads without knowing the field names. */
function eventMessage(kind: ClientEventKind, f: Record<string, unknown>): string {
  const dep = String(f.dependency ?? "the dependency");
  switch (kind) {
    case "retry":
      return `${dep} call failed (${String(f.cause)}): retrying, attempt ${String(f.attempt)} in ${String(f.delay_ms)} ms`;
    case "retry_denied":
      return `${dep} call failed: no retry, the retry budget is spent`;
    case "shed":
      return `${dep} call shed: ${String(f.in_flight)} calls already in flight`;
    case "short_circuit":
      return `${dep} call refused: the circuit breaker is open`;
    case "fallback":
      return `${dep} failed (${String(f.cause)}): answering with the fallback`;
    case "retries_exhausted":
      return `${dep} still failing after ${String(f.attempts)} attempts (${String(f.cause)}): giving up`;
  }
}

/**
 * Logs every outgoing attempt (its own span, whose traceparent goes to the dependency) and every
 * countermeasure decision, under the trace of the request that made them.
 */
export function clientObserver(
  log: RequestLog,
  dependency: string,
  spans: SpanExport = NO_SPAN_EXPORT,
): ClientObserver {
  return {
    beginAttempt(attempt) {
      const parent = currentSpan.getStore();
      const traceId = parent?.traceId ?? newTraceId();
      const spanId = newSpanId();
      return {
        headers: { traceparent: formatTraceparent(traceId, spanId, parent?.flags) },
        end(r, durationMs) {
          const failed = r.outcome !== "success";
          log[failed ? "warn" : "info"](
            {
              event: "attempt",
              dependency,
              attempt,
              duration_ms: round(durationMs),
              outcome: r.outcome,
              status: r.status,
              reason: failed ? r.outcome : undefined,
              detail: r.detail,
              trace_id: traceId,
              span_id: spanId,
              parent_span_id: parent?.spanId,
            },
            failed
              ? `${dependency} attempt ${attempt} failed after ${round(durationMs)} ms: ${r.detail ?? r.outcome}`
              : `${dependency} attempt ${attempt} ok in ${round(durationMs)} ms`,
          );
          spans.record({
            name: `GET ${dependency}`,
            kind: "client",
            traceId,
            spanId,
            parentSpanId: parent?.spanId,
            flags: parent?.flags ?? "01",
            durationMs,
            attributes: {
              "peer.service": dependency,
              attempt,
              outcome: r.outcome,
              "http.response.status_code": r.status,
              detail: r.detail,
            },
            error: failed,
            message: failed ? (r.detail ?? r.outcome) : undefined,
          });
        },
      };
    },
    event(kind, fields) {
      const span = currentSpan.getStore();
      log[EVENT_LEVEL[kind]](
        { event: kind, ...fields, trace_id: span?.traceId, span_id: span?.spanId },
        eventMessage(kind, fields),
      );
    },
  };
}
