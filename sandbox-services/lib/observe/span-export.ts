import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, type IdGenerator, TracerProvider } from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";

/** A span the service already timed and logged: the ids are the ones in its log lines and traceparent. */
export interface FinishedSpan {
  name: string;
  kind: "server" | "client";
  traceId: string;
  spanId: string;
  parentSpanId?: string | undefined;
  /** W3C trace flags (2 hex digits): a caller's "00" (not sampled) is respected, the span is not exported. */
  flags: string;
  /** Epoch milliseconds. */
  startMs: number;
  durationMs: number;
  attributes: Record<string, string | number | boolean | undefined>;
  error: boolean;
  message?: string | undefined;
}

/** Where finished spans go: nowhere (the default), or a tracing backend over OTLP. */
export interface SpanExport {
  record(span: FinishedSpan): void;
  shutdown(): Promise<void>;
}

export const NO_SPAN_EXPORT: SpanExport = { record: () => {}, shutdown: async () => {} };

/**
 * The SDK makes its own ids when a span starts; the services have made theirs already (they are in
 * the traceparent sent downstream and in every log line), so the span about to start takes them.
 * startSpan is synchronous, so the staged ids cannot be taken by another span.
 */
class StagedIds implements IdGenerator {
  traceId = "";
  spanId = "";
  generateTraceId = () => this.traceId;
  generateSpanId = () => this.spanId;
}

/**
 * Exports every request and attempt span to an OTLP/HTTP traces endpoint (SANDBOX_OTLP_TRACES) with
 * the OpenTelemetry SDK, batched in the background: a backend that is down costs dropped spans,
 * never a slower or failed request.
 */
export function otlpSpanExport(service: string, url: string): SpanExport {
  const ids = new StagedIds();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service }),
    idGenerator: ids,
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url, timeoutMillis: 2000 }),
        maxQueueSize: 8192,
        maxExportBatchSize: 512,
        scheduledDelayMillis: 500,
      }),
    ],
  });
  const tracer = provider.getTracer("gameday-sandbox");
  return {
    record(s) {
      if ((Number.parseInt(s.flags, 16) & TraceFlags.SAMPLED) === 0) return;
      ids.traceId = s.traceId;
      ids.spanId = s.spanId;
      const parent = s.parentSpanId
        ? trace.setSpanContext(ROOT_CONTEXT, {
            traceId: s.traceId,
            spanId: s.parentSpanId,
            traceFlags: TraceFlags.SAMPLED,
            // A request's parent is the caller's attempt (another process); an attempt's is its own request.
            isRemote: s.kind === "server",
          })
        : ROOT_CONTEXT;
      const attributes = Object.fromEntries(
        Object.entries(s.attributes).filter(
          (e): e is [string, string | number | boolean] => e[1] !== undefined,
        ),
      );
      const span = tracer.startSpan(
        s.name,
        {
          kind: s.kind === "server" ? SpanKind.SERVER : SpanKind.CLIENT,
          startTime: s.startMs,
          attributes,
        },
        parent,
      );
      if (s.error)
        span.setStatus({ code: SpanStatusCode.ERROR, ...(s.message ? { message: s.message } : {}) });
      span.end(s.startMs + s.durationMs);
    },
    shutdown: () => provider.shutdown(),
  };
}
