/** What a span attribute may hold (OpenTelemetry's primitive values and arrays of them). */
export type SpanAttributeValue = string | number | boolean | string[] | number[];
export type SpanAttributes = Record<string, SpanAttributeValue>;
export type SpanStatus = "ok" | "error" | "unset";

export interface SpanEventRecord {
  name: string;
  /** epoch ms */
  t: number;
  attributes?: SpanAttributes | undefined;
}

/** One finished span and its children as plain data: a run's trace, built from its journal and result. */
export interface SpanTree {
  name: string;
  /** epoch ms */
  start: number;
  end: number;
  attributes: SpanAttributes;
  status: SpanStatus;
  statusMessage?: string | undefined;
  events: SpanEventRecord[];
  children: SpanTree[];
}

/** A span that is started now and ended later (a game day's, around its runs). */
export interface OpenSpan {
  end(t: number, attributes: SpanAttributes, status: SpanStatus, message?: string): void;
}

/**
 * Where traces go: the one boundary between gameday and a tracing SDK, so the run code never
 * depends on one. Nothing here throws or waits longer than its bound; a receiver that cannot be
 * reached is one log line for the whole process.
 */
export interface TraceSink {
  open(name: string, start: number, attributes: SpanAttributes): OpenSpan;
  /** Queues a finished tree for export, under `parent` when given. */
  record(tree: SpanTree, parent?: OpenSpan): void;
  /** Exports what is queued; waits at most the sink's flush bound. */
  flush(): Promise<void>;
  /** Flushes and releases the connection; bounded like flush. */
  shutdown(): Promise<void>;
}

/** The targets file's telemetry with its header secrets read (and registered for redaction). */
export interface ResolvedTelemetry {
  protocol: "otlp";
  /** The receiver's base URL as configured (shown by plan; never carries credentials). */
  endpoint: string;
  headers: Record<string, string>;
}

export interface TraceSinkOptions extends ResolvedTelemetry {
  /** Where the one line about an unreachable receiver goes (redacted before it is written). */
  log: (line: string) => void;
  /** One export request's bound, retries included (default 2 s). */
  timeoutMs?: number | undefined;
  /** How long a run's end waits for its spans to leave (default 2 s). */
  flushMs?: number | undefined;
}
