import { join } from "node:path";
import type { Reporter, ReporterOptions } from "../interfaces/reporter.js";
import { Journal } from "../run/journal.js";
import type { RunResult } from "../run/run-result.js";
import { writeReport } from "./write-report.js";

/** Machine-readable: every run's result with its full journal of timestamped events. */
export class JsonReporter implements Reporter {
  constructor(private readonly opts: ReporterOptions = {}) {}

  onSuiteEnd(results: RunResult[]): void {
    const file = this.opts.outFile ?? join(results[0]?.artifactsDir ?? ".", "gameday.json");
    const runs = results.map((r) => ({ ...r, journal: Journal.read(r.journalPath) }));
    writeReport(file, `${JSON.stringify({ runs }, null, 2)}\n`);
  }
}
