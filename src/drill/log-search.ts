import { closeSync, existsSync, fstatSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { SERVICE_NAMES, type ServiceName } from "../../sandbox-services/lib/topology.js";

export interface LogQuery {
  service?: string | undefined;
  /** This level or a more severe one (warn: warnings and errors), as log tools filter. */
  level?: string | undefined;
  trace?: string | undefined;
  /** epoch ms, inclusive */
  since?: number | undefined;
  /** epoch ms, inclusive */
  until?: number | undefined;
  /** Words the line must contain (message or fields), case-insensitive. */
  text?: string | undefined;
  limit?: number | undefined;
}

export interface LogEntry {
  service: ServiceName;
  time?: number | undefined;
  level: string;
  msg: string;
  /** The structured line's fields (event, route, status, reason...), when it has a message of its own too. */
  fields?: string | undefined;
  trace?: string | undefined;
}

const TAIL_BYTES = 512 * 1024;
const SEVERITY: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
const PINO_LEVELS: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};

function tail(file: string): string {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const text = buf.toString("utf8");
    return len < size ? text.slice(text.indexOf("\n") + 1) : text;
  } finally {
    closeSync(fd);
  }
}

/** What a structured line says, when it has no message of its own: its event and fields. */
const FIELDS = [
  "route",
  "method",
  "dependency",
  "attempt",
  "status",
  "outcome",
  "reason",
  "cause",
  "duration_ms",
  "attempts",
  "cache",
  "pool_wait_ms",
  "query_ms",
  "detail",
];
function describeRecord(r: Record<string, unknown>): string {
  const parts = FIELDS.flatMap((k) => (r[k] === undefined ? [] : [`${k}=${String(r[k]).slice(0, 200)}`]));
  return [String(r.event ?? ""), ...parts].join(" ").trim();
}

/**
 * The control endpoint's own lines name the injected app fault (kind, owner tag): an on-call
 * engineer's logs would not have them, and the drill must not reveal its scenario.
 */
const HIDDEN_EVENT = /^(app_fault_|control_)/;

/** A line as parsed: the entry a responder reads, and the structured record behind it (JSON lines only). */
export interface LogMatch {
  entry: LogEntry;
  record?: Record<string, unknown> | undefined;
}

/** One line: a pino JSON record (level, time, msg or event fields, trace id) or a plain text line; undefined when hidden. */
function parseLine(service: ServiceName, line: string): LogMatch | undefined {
  if (line.startsWith("{")) {
    try {
      const r = JSON.parse(line) as Record<string, unknown>;
      if (typeof r.event === "string" && HIDDEN_EVENT.test(r.event)) return undefined;
      const level =
        typeof r.level === "number" ? (PINO_LEVELS[r.level] ?? String(r.level)) : String(r.level ?? "info");
      const trace = r.trace_id ?? r.traceId ?? r.trace;
      const time =
        typeof r.time === "number" ? r.time : typeof r.time === "string" ? Date.parse(r.time) : Number.NaN;
      const own = r.msg ?? r.message;
      const entry: LogEntry = {
        service,
        ...(Number.isFinite(time) ? { time } : {}),
        level,
        msg: String(own ?? describeRecord(r)).slice(0, 2000),
        ...(own === undefined ? {} : { fields: describeRecord(r).slice(0, 2000) }),
        ...(typeof trace === "string" ? { trace } : {}),
      };
      return { entry, record: r };
    } catch {
      // not JSON after all: a plain line
    }
  }
  const level = /\b(error|fatal)\b/i.test(line) ? "error" : /\bwarn/i.test(line) ? "warn" : "info";
  return { entry: { service, level, msg: line.slice(0, 2000) } };
}

/**
 * Searches the sandbox services' logs (the files `sandbox up` writes, never Toxiproxy's or
 * Prometheus': those would name the injected fault). Bounded: the last 512 KB of each file.
 */
export function searchLogs(logDir: string | undefined, q: LogQuery): { entries: LogEntry[]; note?: string } {
  const { matches, note } = searchLogRecords(logDir, q);
  return { entries: matches.map((m) => m.entry), ...(note === undefined ? {} : { note }) };
}

/**
 * The same search with each line's structured record: the trace view builds spans from the ids
 * and timings, and goes through here so the lines it may read are exactly the ones log search shows.
 */
export function searchLogRecords(
  logDir: string | undefined,
  q: LogQuery,
): { matches: LogMatch[]; note?: string } {
  if (!logDir) return { matches: [], note: "this target has no service logs the drill can read" };
  const services = q.service ? SERVICE_NAMES.filter((s) => s === q.service) : [...SERVICE_NAMES];
  if (q.service && !services.length) return { matches: [], note: `no service "${q.service.slice(0, 40)}"` };
  const minSeverity = q.level ? SEVERITY[q.level.toLowerCase()] : undefined;
  if (q.level && minSeverity === undefined)
    return {
      matches: [],
      note: `no level "${q.level.slice(0, 20)}": one of ${Object.keys(SEVERITY).join(", ")}`,
    };
  const words = (q.text ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  const matches: LogMatch[] = [];
  let files = 0;
  for (const service of services) {
    // The structured log (pino, <service>.jsonl) and the process's own output (<service>.log).
    for (const file of [join(logDir, `${service}.jsonl`), join(logDir, `${service}.log`)]) {
      if (!existsSync(file)) continue;
      files++;
      for (const line of tail(file).split("\n")) {
        if (!line.trim()) continue;
        const m = parseLine(service, line);
        if (!m) continue;
        const e = m.entry;
        if (minSeverity !== undefined && (SEVERITY[e.level] ?? 30) < minSeverity) continue;
        if (q.trace && e.trace !== q.trace) continue;
        if (q.since !== undefined && (e.time === undefined || e.time < q.since)) continue;
        if (q.until !== undefined && (e.time === undefined || e.time > q.until)) continue;
        if (words.length) {
          const hay = `${e.msg} ${e.fields ?? ""}`.toLowerCase();
          if (!words.every((w) => hay.includes(w))) continue;
        }
        matches.push(m);
      }
    }
  }
  matches.sort((a, b) => (a.entry.time ?? 0) - (b.entry.time ?? 0));
  const limit = Math.min(q.limit ?? 200, 1000);
  const out = matches.slice(-limit);
  if (!files) return { matches: [], note: "the sandbox wrote no service logs" };
  return out.length ? { matches: out } : { matches: [], note: "no log line matches" };
}
