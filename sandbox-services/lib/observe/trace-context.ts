import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/), the `traceparent` header only:
 * `00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>`. Hand-written: it is one regular
 * expression, and the services need nothing else of a tracing SDK.
 */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

export interface SpanContext {
  traceId: string;
  spanId: string;
  /** The caller's span, when the request carried a valid traceparent. */
  parentSpanId?: string | undefined;
  flags: string;
}

export const newTraceId = (): string => randomBytes(16).toString("hex");
export const newSpanId = (): string => randomBytes(8).toString("hex");

/** The header's trace id, parent span and flags; undefined when absent or malformed (then a new trace starts). */
export function parseTraceparent(
  header: string | string[] | undefined,
): { traceId: string; parentSpanId: string; flags: string } | undefined {
  if (typeof header !== "string") return undefined;
  const m = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!m) return undefined;
  const [, version, traceId, parentSpanId, flags] = m as unknown as [string, string, string, string, string];
  if (version === "ff" || traceId === ZERO_TRACE || parentSpanId === ZERO_SPAN) return undefined;
  return { traceId, parentSpanId, flags };
}

export function formatTraceparent(traceId: string, spanId: string, flags = "01"): string {
  return `00-${traceId}-${spanId}-${flags}`;
}

/** The server span of an inbound request: the caller's trace continued, or a new one. */
export function serverSpan(header: string | string[] | undefined): SpanContext {
  const parent = parseTraceparent(header);
  return parent
    ? { traceId: parent.traceId, spanId: newSpanId(), parentSpanId: parent.parentSpanId, flags: parent.flags }
    : { traceId: newTraceId(), spanId: newSpanId(), flags: "01" };
}

/** The span of the request being handled, for the outgoing attempts it makes. */
export const currentSpan = new AsyncLocalStorage<SpanContext>();
