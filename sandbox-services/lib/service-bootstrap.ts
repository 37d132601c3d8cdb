import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { z } from "zod";
import { NO_SPAN_EXPORT, type SpanExport } from "./observe/span-export.js";
import { currentSpan, serverSpan } from "./observe/trace-context.js";
import { type ServiceConfig, serviceConfigSchema } from "./service-config.js";
import type { ServiceMetrics } from "./service-metrics.js";

export interface RouteAnswer {
  status: number;
  body: unknown;
  /** Extra fields for the request's log line (the reason of a fallback, risk's cache result). */
  log?: Record<string, unknown>;
  /** What the line says in words (an on-call engineer reads it in a log search). */
  msg?: string;
  /** The line's level when the status alone does not say it (a fallback is a warning, yet a 200). */
  level?: LogLevel;
}

export type LogLevel = "info" | "warn" | "error";

/** Where request lines go (pino in the services; the shape only, for tests). */
export type RequestLog = Record<LogLevel, (fields: Record<string, unknown>, msg?: string) => void>;

/**
 * A failure must be findable by level, as in any production log: a 5xx answer is an error, a 4xx
 * a warning, unless the route says otherwise.
 */
export function requestLevel(answer: RouteAnswer): LogLevel {
  return answer.level ?? (answer.status >= 500 ? "error" : answer.status >= 400 ? "warn" : "info");
}
export type RouteHandler = () => Promise<RouteAnswer>;

/**
 * What GET /health answers. The launcher reads `instance` (who started the process) and
 * `config` (to restart a service whose switches changed) from it.
 */
export const serviceHealthSchema = z.object({
  status: z.literal("ok"),
  service: z.string(),
  pid: z.number().int(),
  instance: z.string().nullable(),
  config: serviceConfigSchema,
});
export type ServiceHealth = z.infer<typeof serviceHealthSchema>;

function send(res: ServerResponse, status: number, body: unknown, contentType = "application/json"): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Starts a sandbox service on 127.0.0.1 with /health, /metrics and one business route, and
 * stops it cleanly on SIGTERM/SIGINT. /health and /metrics stay out of the request metrics so
 * scrapes and health polls do not dilute error ratios.
 */
export function startService(
  config: ServiceConfig,
  metrics: ServiceMetrics,
  routes: Record<string, RouteHandler>,
  /** Undefined: no request lines and no trace context at all (SANDBOX_OBSERVE=off). */
  requestLog: RequestLog | undefined = undefined,
  /** On SIGTERM/SIGINT; the process exits once the server closed and what this returns settled (at most 2 s). */
  onShutdown: () => Promise<unknown> | undefined = () => undefined,
  /** Where the request spans go besides the log (a tracing backend, SANDBOX_OTLP_TRACES). */
  spans: SpanExport = NO_SPAN_EXPORT,
): Server {
  const health: ServiceHealth = {
    status: "ok",
    service: config.service,
    pid: process.pid,
    instance: process.env.SANDBOX_INSTANCE ?? null,
    config,
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/health") return send(res, 200, health);
    if (path === "/metrics")
      return send(res, 200, await metrics.registry.metrics(), metrics.registry.contentType);
    const handler = routes[path];
    const route = handler ? path : "unknown";
    const stop = metrics.serverDuration.startTimer({ route });
    // The caller's trace continues here (the gateway starts one when the client sent none);
    // without a request log (SANDBOX_OBSERVE=off) there is no trace context at all.
    const span = requestLog ? serverSpan(req.headers.traceparent) : undefined;
    const started = performance.now();
    let answer: RouteAnswer;
    metrics.serverInFlight.inc({ route });
    try {
      if (!handler) answer = { status: 404, body: { error: `no route ${path}` } };
      else if (req.method !== "GET") answer = { status: 405, body: { error: "only GET" } };
      else
        answer = await (span ? currentSpan.run(span, handler) : handler()).catch((err: unknown) => ({
          status: 500,
          body: { error: String(err) },
        }));
    } finally {
      metrics.serverInFlight.dec({ route });
    }
    const durationMs = performance.now() - started;
    if (span) res.setHeader("x-trace-id", span.traceId);
    send(res, answer.status, answer.body);
    stop({ status: String(answer.status) });
    metrics.serverRequests.inc({ route, status: String(answer.status) });
    if (!span || !requestLog) return;
    const fields = {
      event: "request",
      route,
      method: req.method,
      status: answer.status,
      duration_ms: Math.round(durationMs * 10) / 10,
      outcome: answer.status < 400 ? "ok" : "error",
      trace_id: span.traceId,
      span_id: span.spanId,
      parent_span_id: span.parentSpanId,
      ...answer.log,
    };
    const level = requestLevel(answer);
    if (answer.msg === undefined) requestLog[level](fields);
    else requestLog[level](fields, answer.msg);
    spans.record({
      name: `${req.method} ${route}`,
      kind: "server",
      traceId: span.traceId,
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      flags: span.flags,
      durationMs,
      attributes: {
        "http.request.method": req.method,
        "http.route": route,
        "http.response.status_code": answer.status,
        ...answer.log,
      },
      error: answer.status >= 500,
      message: answer.msg,
    });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { error: String(err) });
    });
  });
  server.on("error", (err) => {
    console.error(`${config.service}: ${err.message}`);
    process.exit(1);
  });
  server.listen(config.port, "127.0.0.1", () => {
    console.log(
      `${config.service} listening on http://127.0.0.1:${config.port} breaks=[${config.breaks.join(",")}]`,
    );
  });
  const shutdown = () => {
    const settled = Promise.resolve(onShutdown()).catch(() => undefined);
    server.close(() => void settled.finally(() => process.exit(0)));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  return server;
}

/** Parses a dependency's JSON body, keeping the text when it is not JSON. */
export function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
