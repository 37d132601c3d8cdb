import { z } from "zod";
import type { LogMatch } from "./log-search.js";

/** At most this many rows: one checkout is about 20, so more means a runaway trace, not detail. */
export const MAX_SPANS = 300;

export type SpanKind = "request" | "attempt" | "pool-wait" | "query" | "event";

export interface TraceSpan {
  id: string;
  parent?: string | undefined;
  /** The parent's id is logged but its line is not there (still in flight, or past the search's tail). */
  missingParent?: boolean | undefined;
  depth: number;
  service: string;
  kind: SpanKind;
  /** The route, `-> dependency #attempt`, the database step, or the event (retry, fallback...). */
  name: string;
  /** epoch ms: the line's time minus its duration (lines are written when the span ends). */
  start: number;
  /** ms from the trace's first start, for the waterfall's offset. */
  offsetMs: number;
  durationMs: number;
  outcome: "ok" | "error" | "warn";
  status?: number | undefined;
  /** Why an attempt failed, a retry or fallback happened (timeout, pool_timeout, shed...). */
  reason?: string | undefined;
  cause?: string | undefined;
  /** The line's own words. */
  msg?: string | undefined;
}

export interface TraceView {
  trace: string;
  startedAt?: number | undefined;
  durationMs: number;
  spans: TraceSpan[];
  truncated?: boolean | undefined;
  note?: string | undefined;
}

/** The fields a span needs; anything else on the line is ignored, a line without them is no span. */
const spanLine = z.object({
  event: z.string(),
  span_id: z.string().min(1).max(64),
  parent_span_id: z.string().max(64).optional(),
  route: z.string().max(200).optional(),
  dependency: z.string().max(100).optional(),
  attempt: z.number().optional(),
  duration_ms: z.number().nonnegative().optional(),
  status: z.number().optional(),
  outcome: z.string().max(40).optional(),
  reason: z.string().max(60).optional(),
  cause: z.string().max(60).optional(),
  cache: z.string().max(20).optional(),
  pool_wait_ms: z.number().nonnegative().optional(),
  query_ms: z.number().nonnegative().optional(),
  msg: z.string().optional(),
});
type SpanLine = z.infer<typeof spanLine>;

const outcomeOf = (l: SpanLine): TraceSpan["outcome"] =>
  l.outcome === "ok" || l.outcome === "success" ? "ok" : l.outcome ? "error" : "warn";

/** The rows one line gives: a span, plus risk's database steps, which it logs as fields of its request. */
function spansOf(service: string, time: number, l: SpanLine): Omit<TraceSpan, "depth" | "offsetMs">[] {
  const common = {
    service,
    ...(l.status === undefined ? {} : { status: l.status }),
    ...(l.reason === undefined ? {} : { reason: l.reason }),
    ...(l.cause === undefined ? {} : { cause: l.cause }),
    ...(l.msg === undefined ? {} : { msg: l.msg.slice(0, 300) }),
  };
  const duration = l.duration_ms ?? 0;
  const start = time - duration;
  if (l.event === "request") {
    const own = {
      ...common,
      id: l.span_id,
      parent: l.parent_span_id,
      kind: "request" as const,
      name: l.route ?? "request",
      start,
      durationMs: duration,
      outcome: outcomeOf(l),
    };
    if (l.pool_wait_ms === undefined || l.cache === "hit") return [own];
    // The pool wait starts as the request does (the cache lookup before it takes microseconds);
    // the query follows it. Where a score's time went is what the responder is looking for.
    const dep = l.dependency ?? "db";
    const wait = {
      service,
      id: `${l.span_id}.pool`,
      parent: l.span_id,
      kind: "pool-wait" as const,
      name: `${dep} pool wait`,
      start,
      durationMs: l.pool_wait_ms,
      outcome: l.reason === "pool_timeout" ? ("error" as const) : ("ok" as const),
      ...(l.reason === undefined ? {} : { reason: l.reason }),
    };
    if (l.query_ms === undefined) return [own, wait];
    const query = {
      service,
      id: `${l.span_id}.query`,
      parent: l.span_id,
      kind: "query" as const,
      name: `${dep} query`,
      start: start + l.pool_wait_ms,
      durationMs: l.query_ms,
      outcome: "ok" as const,
    };
    return [own, wait, query];
  }
  if (l.event === "attempt")
    return [
      {
        ...common,
        id: l.span_id,
        parent: l.parent_span_id,
        kind: "attempt",
        name: `-> ${l.dependency ?? "dependency"} #${l.attempt ?? 1}`,
        start,
        durationMs: duration,
        outcome: outcomeOf(l),
      },
    ];
  // A countermeasure decision (retry, fallback, shed...) is logged under its request's span: a
  // moment in that span, shown as a row of its own so its reason reads beside the attempts.
  return [
    {
      ...common,
      id: `${l.span_id}.${l.event}.${time}`,
      parent: l.span_id,
      kind: "event",
      name: `${l.event}${l.dependency ? ` ${l.dependency}` : ""}${l.attempt ? ` #${l.attempt}` : ""}`,
      start: time,
      durationMs: 0,
      outcome: l.event === "retries_exhausted" ? "error" : "warn",
    },
  ];
}

/**
 * One trace's waterfall from its log lines (the matches of a log search for that trace id, so the
 * hidden lines are never among them): spans in tree order, each after its parent, siblings by
 * start. A span whose parent has no line is shown as a root, marked, rather than dropped.
 */
export function traceSpans(trace: string, matches: LogMatch[], note?: string): TraceView {
  const flat: Omit<TraceSpan, "depth" | "offsetMs">[] = [];
  for (const m of matches) {
    const t = m.entry.time;
    if (!m.record || t === undefined) continue;
    const line = spanLine.safeParse(m.record);
    if (!line.success) continue;
    flat.push(...spansOf(m.entry.service, t, line.data));
  }
  const truncated = flat.length > MAX_SPANS;
  const kept = flat.sort((a, b) => a.start - b.start).slice(0, MAX_SPANS);
  const byId = new Map(kept.map((s) => [s.id, s]));
  const children = new Map<string, typeof kept>();
  const roots: typeof kept = [];
  for (const s of kept) {
    const parent = s.parent && s.parent !== s.id ? byId.get(s.parent) : undefined;
    if (!parent) roots.push(s);
    else children.set(parent.id, [...(children.get(parent.id) ?? []), s]);
  }
  const startedAt = kept[0]?.start;
  const spans: TraceSpan[] = [];
  const seen = new Set<string>();
  const walk = (s: (typeof kept)[number], depth: number) => {
    // Ids come from the logs: a repeated id must not loop or repeat rows.
    if (seen.has(s.id)) return;
    seen.add(s.id);
    spans.push({
      ...s,
      depth,
      offsetMs: Math.round((s.start - (startedAt ?? s.start)) * 10) / 10,
      ...(s.parent && !byId.has(s.parent) ? { missingParent: true } : {}),
    });
    for (const c of children.get(s.id) ?? []) walk(c, depth + 1);
  };
  for (const r of roots) walk(r, 0);
  const end = Math.max(...kept.map((s) => s.start + s.durationMs), startedAt ?? 0);
  return {
    trace,
    ...(startedAt === undefined ? {} : { startedAt }),
    durationMs: startedAt === undefined ? 0 : Math.round((end - startedAt) * 10) / 10,
    spans,
    ...(truncated ? { truncated: true } : {}),
    ...(spans.length ? {} : { note: note ?? "no span of this trace in the logs" }),
  };
}
