import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, type IdGenerator, TracerProvider } from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import type { SpanExport } from "./span-export.js";

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
        Object.entries(s.attributes).filter((e): e is [string, string | number | boolean] =>
          ["string", "number", "boolean"].includes(typeof e[1]),
        ),
      );
      const end = Date.now();
      const span = tracer.startSpan(
        s.name,
        {
          kind: s.kind === "server" ? SpanKind.SERVER : SpanKind.CLIENT,
          startTime: end - s.durationMs,
          attributes,
        },
        parent,
      );
      if (s.error)
        span.setStatus({ code: SpanStatusCode.ERROR, ...(s.message ? { message: s.message } : {}) });
      span.end(end);
    },
    shutdown: () => provider.shutdown(),
  };
}
