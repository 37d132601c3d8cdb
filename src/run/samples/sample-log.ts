import { closeSync, existsSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { LoadStatistics } from "../../load/load-statistics.js";
import {
  type LoadLine,
  type SampleLine,
  type SamplesLine,
  type SeriesLine,
  samplesLineSchema,
} from "./samples-schema.js";

export const SAMPLES_FILE = "samples.jsonl";

/** What could be read back from samples.jsonl, and what could not (a torn or corrupt line). */
export interface SamplesRead {
  series: SeriesLine[];
  samples: SampleLine[];
  load: LoadLine[];
  problems: string[];
}

const LOAD_WINDOW_MIN_MS = 1000;

/**
 * Every probe reading and the load generator's figures at each tick, as JSON lines beside the
 * journal. Not fsynced (the journal is the safety record; this is for charts), and a failed write
 * never stops a run.
 */
export class SampleLog {
  readonly path: string;
  private fd: number | undefined;

  constructor(dir: string) {
    this.path = join(dir, SAMPLES_FILE);
    this.fd = openSync(this.path, "a");
  }

  private write(line: SamplesLine): void {
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, `${JSON.stringify(line)}\n`);
    } catch {
      // charts lose a point; the run goes on
    }
  }

  series(def: Omit<SeriesLine, "k">): void {
    this.write({ k: "series", ...def });
  }

  sample(id: string, t: number, value: number | undefined): void {
    this.write({ k: "s", id, t, v: value === undefined || !Number.isFinite(value) ? null : value });
  }

  /** Load figures over the interval that ended at `now`. */
  load(now: number, stats: LoadStatistics, intervalMs: number): void {
    const w = { start: now - Math.max(intervalMs, LOAD_WINDOW_MIN_MS), end: now };
    const num = (v: number | undefined) => (v === undefined ? null : v);
    this.write({
      k: "load",
      t: now,
      n: stats.metric("requests", w) ?? 0,
      rps: stats.metric("throughput", w) ?? 0,
      err: num(stats.metric("errorRatio", w)),
      p50: num(stats.metric("p50", w)),
      p95: num(stats.metric("p95", w)),
      p99: num(stats.metric("p99", w)),
    });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Reads what it can; each unreadable line is counted in `problems`, never thrown. */
  static read(dir: string): SamplesRead {
    const out: SamplesRead = { series: [], samples: [], load: [], problems: [] };
    const path = join(dir, SAMPLES_FILE);
    if (!existsSync(path)) {
      out.problems.push(`${SAMPLES_FILE} is missing: no charts for this run`);
      return out;
    }
    let bad = 0;
    let firstBad = 0;
    const lines = readFileSync(path, "utf8").split("\n");
    for (const [i, line] of lines.entries()) {
      if (!line.trim()) continue;
      try {
        const l = samplesLineSchema.parse(JSON.parse(line));
        if (l.k === "series") out.series.push(l);
        else if (l.k === "s") out.samples.push(l);
        else out.load.push(l);
      } catch {
        if (!bad) firstBad = i + 1;
        bad++;
      }
    }
    if (bad)
      out.problems.push(
        `${SAMPLES_FILE}: ${bad} line${bad > 1 ? "s" : ""} could not be read (first at line ${firstBad}); the charts show the rest`,
      );
    return out;
  }
}
