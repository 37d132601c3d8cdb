/** A span the service already timed and logged: the ids are the ones in its log lines and traceparent. */
export interface FinishedSpan {
  name: string;
  kind: "server" | "client";
  traceId: string;
  spanId: string;
  parentSpanId?: string | undefined;
  /** W3C trace flags (2 hex digits): a caller's "00" (not sampled) is respected, the span is not exported. */
  flags: string;
  /** The span ends as it is recorded; it started this long before. */
  durationMs: number;
  /** Strings, numbers and booleans become attributes; anything else (undefined, objects) is left out. */
  attributes: Record<string, unknown>;
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
 * The export for SANDBOX_OTLP_TRACES: none without a URL, else the OTLP one, whose module (and the
 * OpenTelemetry SDK under it) is loaded only then, so a service that exports nothing starts without it.
 */
export async function spanExportFor(service: string, url: string | null): Promise<SpanExport> {
  if (!url) return NO_SPAN_EXPORT;
  return (await import("./otlp-span-export.js")).otlpSpanExport(service, url);
}
