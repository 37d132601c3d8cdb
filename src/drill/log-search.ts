import { closeSync, existsSync, fstatSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { serviceLogFiles } from "../../sandbox-services/lib/observe/log-files.js";
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

/**
 * What one search reads at most of one service's structured log (current and rotated files),
 * newest first: 8 MiB, some 30 000 lines, parsed in well under a second on the drill's loop.
 * `since` stops the scan at the first older line, `until` starts each file's scan at its last line up to then,
 * so a time range reaches further back than that.
 */
const SCAN_BYTES_PER_SERVICE = 8 * 1024 * 1024;
/** The process's own output (`<service>.log`): its last 512 KiB, as before rotation. */
const OUTPUT_SCAN_BYTES = 512 * 1024;
const CHUNK_BYTES = 64 * 1024;
/** A longer line is skipped, never held whole. */
const MAX_LINE_BYTES = 256 * 1024;
const SEVERITY: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
const PINO_LEVELS: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};

interface Budget {
  bytes: number;
}

/**
 * A file's lines from the last to the first, read backwards in 64 KiB chunks: memory stays at a
 * chunk and one line, however large the file. Stops when the budget is spent (the line it was
 * in is dropped, never returned in part).
 */
function* linesBackward(file: string, budget: Budget, end?: number): Generator<string> {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return; // rotated away between the listing and now
  }
  try {
    let pos = Math.min(fstatSync(fd).size, end ?? Number.POSITIVE_INFINITY);
    let carry = Buffer.alloc(0); // the start of the line the last chunk began in
    let skipping = false; // inside a line longer than MAX_LINE_BYTES
    while (pos > 0 && budget.bytes > 0) {
      const len = Math.min(CHUNK_BYTES, pos, budget.bytes);
      pos -= len;
      budget.bytes -= len;
      const chunk = Buffer.alloc(len);
      readSync(fd, chunk, 0, len, pos);
      const buf = carry.length ? Buffer.concat([chunk, carry]) : chunk;
      let end = buf.length;
      let nl = buf.lastIndexOf(10, end - 1);
      while (nl >= 0) {
        if (skipping) skipping = false;
        else if (end > nl + 1) yield buf.toString("utf8", nl + 1, end);
        end = nl;
        nl = nl === 0 ? -1 : buf.lastIndexOf(10, nl - 1);
      }
      carry = buf.subarray(0, end);
      if (carry.length > MAX_LINE_BYTES) {
        carry = Buffer.alloc(0);
        skipping = true;
      }
    }
    if (pos === 0 && carry.length && !skipping) yield carry.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** The first whole line starting at or after `offset`: where it starts and its time. */
function lineTimeAt(fd: number, offset: number): { at: number; time: number | undefined } | undefined {
  const buf = Buffer.alloc(4096);
  const n = readSync(fd, buf, 0, buf.length, offset);
  const start = offset === 0 ? 0 : buf.indexOf(10) + 1;
  if (start === 0 && offset > 0) return undefined; // no line starts in these 4 KiB
  if (start >= n) return undefined;
  const nl = buf.indexOf(10, start);
  const m = /"time":\s*(?:"([^"]+)"|(\d+))/.exec(buf.toString("utf8", start, nl < 0 ? n : nl));
  const t = m ? (m[1] !== undefined ? Date.parse(m[1]) : Number(m[2])) : Number.NaN;
  return { at: offset + start, time: Number.isFinite(t) ? t : undefined };
}

/**
 * Where a backward scan for lines up to `until` starts in a pino file (in time order): a line
 * start, every line from there on being later. Binary search on line times, down to one chunk;
 * 0: the whole file is later. Without readable times, the file's end.
 */
function endBefore(file: string, until: number): number | undefined {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return undefined;
  }
  try {
    let hi = fstatSync(fd).size;
    const first = lineTimeAt(fd, 0);
    if (first?.time !== undefined && first.time > until) return 0;
    let lo = 0;
    for (let probes = 0; hi - lo > CHUNK_BYTES && probes < 64; probes++) {
      const p = lineTimeAt(fd, Math.floor((lo + hi) / 2));
      if (!p || p.time === undefined || p.at >= hi) break;
      if (p.time > until) hi = p.at;
      else lo = p.at + 1;
    }
    return hi;
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
 * Prometheus': those would name the injected fault): per service its structured log, the current
 * `<service>.jsonl` and then the rotated `<service>.<n>.jsonl`, newest first, and its process
 * output `<service>.log`. Bounded: files are read backwards in chunks, a service's scan stops at
 * `limit` matches, at the first line older than `since`, or after 8 MiB; with `until` a file's scan
 * starts at its last line up to then (binary search on line times), a file that starts later is skipped.
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
  const limit = Math.min(q.limit ?? 200, 1000);
  // Words that, when in a line's message or fields, are in its raw JSON text as they are (ASCII, no
  // `=` of "field=value", nothing JSON escapes, nothing of a stringified object).
  const rawWords = words.filter(
    (w) => /^[\x20-\x7e]+$/.test(w) && !/[="\\]/.test(w) && !"[object object]".includes(w),
  );
  const keep = (e: LogEntry): boolean => {
    if (minSeverity !== undefined && (SEVERITY[e.level] ?? 30) < minSeverity) return false;
    if (q.trace && e.trace !== q.trace) return false;
    if (q.since !== undefined && (e.time === undefined || e.time < q.since)) return false;
    if (q.until !== undefined && (e.time === undefined || e.time > q.until)) return false;
    if (words.length) {
      const hay = `${e.msg} ${e.fields ?? ""}`.toLowerCase();
      if (!words.every((w) => hay.includes(w))) return false;
    }
    return true;
  };
  const entries: LogMatch[] = [];
  let files = 0;
  let cut = false; // a service's scan stopped at its byte budget, not at its first line
  for (const service of services) {
    const budget: Budget = { bytes: SCAN_BYTES_PER_SERVICE };
    // Newest first: the structured log (pino), current then rotated, and the process's own output.
    const structured = serviceLogFiles(logDir, service).filter((f) => existsSync(f));
    const output = join(logDir, `${service}.log`);
    files += structured.length + (existsSync(output) ? 1 : 0);
    const found: LogMatch[] = []; // newest first
    for (const file of structured) {
      if (found.length >= limit || budget.bytes <= 0) break;
      // With `until`, the scan starts at its last line up to then: a file that starts later is skipped.
      const end = q.until === undefined ? undefined : endBefore(file, q.until);
      if (end === 0) continue;
      let older = false;
      for (const line of linesBackward(file, budget, end)) {
        if (!line.trim()) continue;
        // A trace id is in the raw line: most lines need no parsing at all.
        if (q.trace && !line.includes(q.trace)) continue;
        // A word of the message is in the raw line too (one with `=` names a field: only the parsed line has it).
        if (rawWords.length) {
          const raw = line.toLowerCase();
          if (!rawWords.every((w) => raw.includes(w))) continue;
        }
        // pino writes the level first: an info line is not parsed for a warn or error search.
        if (minSeverity !== undefined && minSeverity > 30 && line.startsWith('{"level":"info"')) continue;
        const m = parseLine(service, line);
        if (!m) continue;
        const e = m.entry;
        if (q.since !== undefined && e.time !== undefined && e.time < q.since) {
          older = true; // every line from here on is older still
          break;
        }
        if (!keep(e)) continue;
        found.push(m);
        if (found.length >= limit) break;
      }
      if (older) break;
    }
    if (budget.bytes <= 0 && found.length < limit) cut = true;
    const plain: LogMatch[] = [];
    if (existsSync(output))
      for (const line of linesBackward(output, { bytes: OUTPUT_SCAN_BYTES })) {
        if (!line.trim()) continue;
        const m = parseLine(service, line);
        if (!m || !keep(m.entry)) continue;
        plain.push(m);
        if (plain.length >= limit) break;
      }
    entries.push(...plain.reverse(), ...found.reverse());
  }
  // Oldest first (the panel turns it round), the newest `limit` of all services.
  entries.sort((a, b) => (a.entry.time ?? 0) - (b.entry.time ?? 0));
  const out = entries.slice(-limit);
  if (!files) return { matches: [], note: "the sandbox wrote no service logs" };
  if (out.length) return { matches: out };
  return {
    matches: [],
    note: cut
      ? `no log line matches in the newest ${SCAN_BYTES_PER_SERVICE >> 20} MiB of each service's logs (a time range searches older files)`
      : "no log line matches",
  };
}
