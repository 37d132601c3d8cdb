import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ParameterValue } from "../experiment/parameter-schema.js";
import type { RunSummary } from "../interfaces/run-store.js";
import type { JournalEvent } from "../run/journal-schema.js";
import type { RunResult } from "../run/run-result.js";
import { SampleLog } from "../run/samples/sample-log.js";
import type { LoadLine, SeriesLine } from "../run/samples/samples-schema.js";
import { processAlive } from "../store/process-alive.js";
import { readJournal } from "../store/read-journal.js";
import { parametersOf } from "./parameters-text.js";
import { timelineText } from "./timeline-text.js";

const withParameters = (parameters: Record<string, ParameterValue> | undefined) =>
  parameters ? { parameters } : {};

export interface ViewWindow {
  start?: number | undefined;
  end?: number | undefined;
}

export interface ViewSeries extends Omit<SeriesLine, "k"> {
  status:
    | "passed"
    | "failed"
    | "pending"
    | "held"
    | "did not hold"
    | "not evaluated"
    | "triggered"
    | "not triggered";
  semantics?: string | undefined;
  summary?: string | undefined;
  /** Where the expectation is judged (shaded differently from the faults). */
  window?: ViewWindow | undefined;
  t: number[];
  v: (number | null)[];
}

export interface ViewFault {
  name: string;
  family?: string | undefined;
  description?: string | undefined;
  start?: number | undefined;
  end?: number | undefined;
  revertFailed?: string | undefined;
}

export interface KeyFigure {
  key: string;
  label: string;
  value: number | undefined;
  unit: string;
  /** True when a larger value is better (throughput); the change is marked accordingly. */
  higherIsBetter?: boolean;
}

/** One run, finished or live: what report.html, the Markdown report and the console render. */
export interface RunView {
  runId: string;
  experiment: string;
  /** The run's resolved parameters (run.json, else the journal's run.started). */
  parameters?: Record<string, ParameterValue> | undefined;
  description?: string | undefined;
  gameDay?: string | undefined;
  file?: string | undefined;
  target?: string | undefined;
  status: "running" | "finished" | "interrupted";
  phase: string;
  verdict?: string | undefined;
  exitCode?: number | undefined;
  reason?: string | undefined;
  startedAt: number;
  endedAt?: number | undefined;
  faults: ViewFault[];
  activeFaults: string[];
  series: ViewSeries[];
  load: {
    t: number[];
    n: number[];
    rps: number[];
    err: (number | null)[];
    p50: (number | null)[];
    p95: (number | null)[];
    p99: (number | null)[];
  };
  loadTotals?: { requests: number; errors: number } | undefined;
  marks: {
    abort?: number | undefined;
    abortReason?: string | undefined;
    rollbackStart?: number | undefined;
    rollbackEnd?: number | undefined;
    method?: ViewWindow;
  };
  events: { t: number; text: string; type: string }[];
  remaining: string[];
  figures: KeyFigure[];
  previous?:
    | { runId: string; startedAt: number; verdict?: string | undefined; figures: KeyFigure[] }
    | undefined;
  /** What could not be read: a torn journal, corrupt samples, a missing run.json. */
  problems: string[];
  dir: string;
}

function readResult(dir: string, problems: string[]): RunResult | undefined {
  const file = join(dir, "run.json");
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as RunResult;
  } catch {
    problems.push("run.json could not be read: verdict and expectation results come from the journal");
    return undefined;
  }
}

function faultsOf(events: JournalEvent[]): ViewFault[] {
  const byName = new Map<string, ViewFault>();
  const get = (name: string) => {
    const f = byName.get(name) ?? { name };
    byName.set(name, f);
    return f;
  };
  for (const e of events) {
    const d = e.data as Record<string, unknown>;
    if (typeof d.fault !== "string") continue;
    const f = get(d.fault);
    if (e.type === "fault.injecting" && typeof d.family === "string") f.family = d.family;
    if (e.type === "fault.injected") {
      f.start = e.t;
      if (typeof d.description === "string") f.description = d.description;
    }
    if (e.type === "fault.reverted") f.end = e.t;
    if (e.type === "fault.revert-failed") f.revertFailed = String(d.error);
  }
  return [...byName.values()];
}

function marksOf(events: JournalEvent[]): RunView["marks"] {
  const marks: RunView["marks"] = { method: {} };
  for (const e of events) {
    const d = e.data as Record<string, unknown>;
    if (e.type === "phase" && d.phase === "method") (marks.method as ViewWindow).start = e.t;
    if (e.type === "phase" && d.phase === "rollback") {
      marks.rollbackStart ??= e.t;
      (marks.method as ViewWindow).end ??= e.t;
    }
    if (e.type === "phase" && (d.phase === "recovery" || d.phase === "done")) marks.rollbackEnd ??= e.t;
    if (e.type === "abort") {
      marks.abort = e.t;
      marks.abortReason = String(d.reason);
    }
  }
  return marks;
}

/** Where an expectation is judged, from its fields and when things really happened. */
function windowOf(s: SeriesLine, faults: ViewFault[], marks: RunView["marks"]): ViewWindow | undefined {
  if (s.group !== "expect") return undefined;
  if (s.recoveredWithin !== undefined && s.check === undefined) {
    const start = marks.rollbackEnd;
    return { start, end: start === undefined ? undefined : start + s.recoveredWithin };
  }
  const base = s.during ? faults.find((f) => f.name === s.during) : marks.method;
  if (!base) return undefined;
  if (s.at === "end") return { start: marks.method?.end, end: marks.method?.end };
  if (s.within !== undefined)
    return { start: base.start, end: base.start === undefined ? undefined : base.start + s.within };
  return { start: base.start, end: base.end };
}

function seriesOf(
  lines: SeriesLine[],
  samples: ReturnType<typeof SampleLog.read>["samples"],
  result: RunResult | undefined,
  events: JournalEvent[],
  faults: ViewFault[],
  marks: RunView["marks"],
): ViewSeries[] {
  const seen = new Set<string>();
  const out: ViewSeries[] = [];
  const byId = new Map<string, ViewSeries>();
  for (const l of lines) {
    if (seen.has(l.id)) continue;
    seen.add(l.id);
    const { k: _k, ...def } = l;
    const s: ViewSeries = { ...def, status: "pending", window: windowOf(l, faults, marks), t: [], v: [] };
    out.push(s);
    byId.set(l.id, s);
  }
  for (const p of samples) {
    const s = byId.get(p.id);
    if (!s) continue;
    s.t.push(p.t);
    s.v.push(p.v);
  }
  for (const s of out) {
    if (s.group === "expect") {
      const r = result?.expectations.find((e) => e.name === s.label);
      const settled = events.findLast(
        (e) => e.type === "expectation" && (e.data as { name?: string }).name === s.label,
      );
      const st = r?.status ?? (settled?.data as { status?: string } | undefined)?.status;
      if (st === "passed" || st === "failed") s.status = st;
      s.threshold ??= r?.threshold?.value; // a relative threshold, as this run resolved it
      s.semantics = r?.semantics;
      s.summary = r?.summary;
    } else if (s.group === "steady") {
      const checks = [...(result?.steadyStateBefore ?? []), ...(result?.recovery ?? [])].filter(
        (c) => c.name === s.label,
      );
      if (checks.length) s.status = checks.every((c) => c.ok) ? "held" : "did not hold";
      s.threshold ??= checks.find((c) => c.threshold?.value !== undefined)?.threshold?.value;
      s.summary = checks.map((c) => c.summary).join("; ") || undefined;
    }
  }
  return out;
}

function loadOf(lines: LoadLine[]): RunView["load"] {
  return {
    t: lines.map((l) => l.t),
    n: lines.map((l) => l.n),
    rps: lines.map((l) => l.rps),
    err: lines.map((l) => l.err),
    p50: lines.map((l) => l.p50),
    p95: lines.map((l) => l.p95),
    p99: lines.map((l) => l.p99),
  };
}

function phaseOf(events: JournalEvent[]): string {
  const p = events.findLast((e) => e.type === "phase");
  return p ? String((p.data as { phase?: string }).phase) : "preflight";
}

/** Builds the view of one run folder; never throws on bad files (it lists them in problems). */
export function buildRunView(dir: string, summary?: Partial<RunSummary>): RunView {
  const problems: string[] = [];
  const journal = readJournal(join(dir, "journal.jsonl"));
  problems.push(...journal.problems);
  const samples = SampleLog.read(dir);
  problems.push(...samples.problems);
  const result = readResult(dir, problems);
  const { events } = journal;
  const started = events.find((e) => e.type === "run.started");
  const sd = (started?.data ?? {}) as Record<string, unknown>;
  const finished = events.findLast((e) => e.type === "run.finished");
  const fd = (finished?.data ?? {}) as Record<string, unknown>;
  const faults = faultsOf(events);
  const marks = marksOf(events);
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  if (!started && !result)
    problems.push("the journal has no run.started line: the run's identity is unknown");
  const pid = typeof sd.pid === "number" ? sd.pid : summary?.pid;
  const status = result || finished ? "finished" : processAlive(pid) ? "running" : "interrupted";
  if (status === "interrupted")
    problems.push(
      "the run ended without a verdict (its process is gone): run `gameday recover` if faults may remain",
    );
  const view: RunView = {
    runId: result?.runId ?? started?.runId ?? summary?.runId ?? "(unknown)",
    experiment: result?.experiment ?? str(sd.experiment) ?? summary?.experiment ?? "(unknown)",
    ...withParameters(parametersOf(result?.parameters) ?? parametersOf(sd.parameters)),
    description: result?.description,
    gameDay: result?.gameDay ?? str(sd.gameDay) ?? summary?.gameDay,
    file: result?.file ?? str(sd.file),
    target: result?.target ?? str(sd.target),
    status,
    phase: phaseOf(events),
    verdict: result?.verdict ?? str(fd.verdict),
    exitCode: result?.exitCode ?? (typeof fd.exitCode === "number" ? fd.exitCode : undefined),
    reason: result?.reason ?? str(fd.reason),
    startedAt: result?.startedAt ?? started?.t ?? summary?.startedAt ?? 0,
    endedAt: result?.endedAt ?? finished?.t,
    faults,
    activeFaults: faults.filter((f) => f.start !== undefined && f.end === undefined).map((f) => f.name),
    series: seriesOf(samples.series, samples.samples, result, events, faults, marks),
    load: loadOf(samples.load),
    loadTotals: result?.load,
    marks,
    events: events.flatMap((e) => {
      const text = timelineText(e);
      return text ? [{ t: e.t, text, type: e.type }] : [];
    }),
    remaining: result?.remaining ?? [],
    figures: [],
    problems,
    dir,
  };
  // A finished run that never judged an expectation (not run, aborted early) says so, not "pending".
  for (const s of view.series) {
    if (s.group === "abort") {
      const fired = marks.abortReason?.startsWith(`${s.label}:`);
      if (fired) s.status = "triggered";
      else if (status !== "running") s.status = "not triggered";
    } else if (s.status === "pending" && status !== "running") s.status = "not evaluated";
  }
  view.figures = keyFigures(view);
  return view;
}

function inWindow(t: number, w: ViewWindow): boolean {
  return w.start !== undefined && t >= w.start && (w.end === undefined || t <= w.end);
}

/** Requests-weighted load figures over a window, from the per-tick load lines. */
function loadOver(view: RunView, w: ViewWindow): { p95?: number; errorRatio?: number } {
  let n = 0;
  let errors = 0;
  let p95 = 0;
  for (const [i, t] of view.load.t.entries()) {
    const reqs = view.load.n[i] ?? 0;
    if (!inWindow(t, w) || !reqs) continue;
    n += reqs;
    errors += (view.load.err[i] ?? 0) * reqs;
    p95 += (view.load.p95[i] ?? 0) * reqs;
  }
  return n ? { p95: p95 / n, errorRatio: errors / n } : {};
}

/** First sample time at or after `from` whose value satisfies `pred`. */
function firstAt(s: ViewSeries, from: number | undefined, pred: (v: number) => boolean): number | undefined {
  if (from === undefined) return undefined;
  for (const [i, t] of s.t.entries()) {
    const v = s.v[i];
    if (t >= from && v !== null && v !== undefined && pred(v)) return t;
  }
  return undefined;
}

/** The figures a team compares month over month: latency and errors during each fault, breaker timings, amplification. */
export function keyFigures(view: RunView): KeyFigure[] {
  const out: KeyFigure[] = [];
  for (const f of view.faults) {
    const w = { start: f.start, end: f.end ?? view.endedAt };
    const l = loadOver(view, w);
    out.push({ key: `p95:${f.name}`, label: `p95 during ${f.name}`, value: l.p95, unit: "ms" });
    out.push({
      key: `err:${f.name}`,
      label: `error ratio during ${f.name}`,
      value: l.errorRatio,
      unit: "ratio",
    });
  }
  for (const s of view.series) {
    if (s.check === "breakerCycle") {
      const fault = view.faults.find((f) => f.name === s.during) ?? view.faults[0];
      const opened = firstAt(s, fault?.start, (v) => v === 2);
      const closed = firstAt(s, fault?.end ?? opened, (v) => v === 0);
      out.push({
        key: `open:${s.label}`,
        label: `time to breaker open (${s.label})`,
        value: opened !== undefined && fault?.start !== undefined ? opened - fault.start : undefined,
        unit: "ms",
      });
      out.push({
        key: `close:${s.label}`,
        label: `time to breaker close after revert (${s.label})`,
        value: closed !== undefined && fault?.end !== undefined ? Math.max(0, closed - fault.end) : undefined,
        unit: "ms",
      });
    }
    if (s.check === "retryAmplification") {
      const m = /amplification ([\d.]+)/.exec(s.summary ?? "");
      out.push({
        key: `amp:${s.label}`,
        label: `retry amplification (${s.label})`,
        value: m ? Number(m[1]) : undefined,
        unit: "x",
      });
    }
  }
  const totals = view.loadTotals;
  out.push({
    key: "err:run",
    label: "error ratio over the run",
    value: totals?.requests ? totals.errors / totals.requests : loadOver(view, { start: 0 }).errorRatio,
    unit: "ratio",
  });
  return out;
}

/** Adds the previous finished run of the same experiment, for the side-by-side comparison. */
export function withPrevious(view: RunView, previous: RunView | undefined): RunView {
  if (!previous) return view;
  return {
    ...view,
    previous: {
      runId: previous.runId,
      startedAt: previous.startedAt,
      verdict: previous.verdict,
      figures: previous.figures,
    },
  };
}
