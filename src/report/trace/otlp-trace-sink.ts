import {
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, type SpanExporter, TracerProvider } from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import type {
  OpenSpan,
  SpanAttributes,
  SpanStatus,
  SpanTree,
  TraceSink,
  TraceSinkOptions,
} from "../../interfaces/trace-sink.js";
import { redact } from "../../redact/redact.js";

const STATUS = { ok: SpanStatusCode.OK, error: SpanStatusCode.ERROR, unset: SpanStatusCode.UNSET };

/** Says once, for the whole process, that the receiver did not take the spans (the run goes on). */
class OnceWarning {
  private spoken = false;
  constructor(
    private readonly endpoint: string,
    private readonly log: (line: string) => void,
  ) {}

  get said(): boolean {
    return this.spoken;
  }

  warn(why: string): void {
    if (this.spoken) return;
    this.spoken = true;
    this.log(
      redact(
        `telemetry: could not export the run's trace to ${this.endpoint} (${why}); the run goes on without it, and later failures are not repeated`,
      ),
    );
  }
}

/** The OTLP exporter, reporting a failed export (which the batch processor would only pass to diag). */
class ReportingExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly warning: OnceWarning,
  ) {}

  export(...[spans, done]: Parameters<SpanExporter["export"]>): void {
    this.inner.export(spans, (result) => {
      // ExportResultCode.SUCCESS is 0 (@opentelemetry/core is not ours to import).
      if (result.code !== 0) this.warning.warn(result.error?.message || "export failed");
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** Resolves after `ms` (false) unless `work` settles first (true); never rejects. */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((r) => {
    timer = setTimeout(() => r(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

class OtelOpenSpan implements OpenSpan {
  constructor(readonly span: Span) {}
  end(t: number, attributes: SpanAttributes, status: SpanStatus, message?: string): void {
    this.span.setAttributes(attributes);
    this.span.setStatus({ code: STATUS[status], ...(message ? { message } : {}) });
    this.span.end(t);
  }
}

/**
 * Traces over OTLP/HTTP with the OpenTelemetry SDK: the only module that imports it, loaded (by
 * TRACE_SINKS) only when the targets file configures telemetry. Spans carry the times the run
 * recorded, so a trace built at a run's end shows when each thing really happened.
 */
export class OtlpTraceSink implements TraceSink {
  private readonly provider: TracerProvider;
  private readonly tracer: Tracer;
  private readonly warning: OnceWarning;
  private readonly flushMs: number;

  constructor(opts: TraceSinkOptions) {
    const timeoutMs = opts.timeoutMs ?? 2000;
    this.flushMs = opts.flushMs ?? 2000;
    this.warning = new OnceWarning(opts.endpoint, opts.log);
    const exporter = new OTLPTraceExporter({
      url: `${opts.endpoint.replace(/\/+$/, "")}/v1/traces`,
      headers: opts.headers,
      timeoutMillis: timeoutMs,
    });
    this.provider = new TracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: "gameday" }),
      spanProcessors: [
        new BatchSpanProcessor({
          exporter: new ReportingExporter(exporter, this.warning),
          maxQueueSize: 4096,
          maxExportBatchSize: 512,
          scheduledDelayMillis: 1000,
          exportTimeoutMillis: timeoutMs,
        }),
      ],
    });
    this.tracer = this.provider.getTracer("gameday");
  }

  open(name: string, start: number, attributes: SpanAttributes): OpenSpan {
    return new OtelOpenSpan(this.tracer.startSpan(name, { startTime: start, attributes }, ROOT_CONTEXT));
  }

  record(tree: SpanTree, parent?: OpenSpan): void {
    const ctx = parent instanceof OtelOpenSpan ? trace.setSpan(ROOT_CONTEXT, parent.span) : ROOT_CONTEXT;
    this.start(tree, ctx);
  }

  async flush(): Promise<void> {
    // A receiver that already failed is not waited for again: each later run would pay the bound.
    // Its spans are still queued and sent in the background.
    if (this.warning.said) return;
    if (!(await within(this.provider.forceFlush(), this.flushMs)))
      this.warning.warn(`no answer within ${this.flushMs} ms`);
  }

  async shutdown(): Promise<void> {
    if (!(await within(this.provider.shutdown(), this.flushMs)))
      this.warning.warn(`no answer within ${this.flushMs} ms`);
  }

  private start(tree: SpanTree, ctx: Context): void {
    const span = this.tracer.startSpan(
      tree.name,
      { startTime: tree.start, attributes: tree.attributes },
      ctx,
    );
    const inner = trace.setSpan(ctx, span);
    for (const child of tree.children) this.start(child, inner);
    for (const e of tree.events) span.addEvent(e.name, e.attributes ?? {}, e.t);
    span.setStatus({
      code: STATUS[tree.status],
      ...(tree.statusMessage ? { message: tree.statusMessage } : {}),
    });
    span.end(tree.end);
  }
}
