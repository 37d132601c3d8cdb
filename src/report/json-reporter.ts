import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Reporter, ReporterOptions } from "../interfaces/reporter.js";
import { redact } from "../redact/redact.js";
import { Journal } from "../run/journal.js";
import type { RunResult } from "../run/run-result.js";

/** Machine-readable: every run's result with its full journal of timestamped events. */
export class JsonReporter implements Reporter {
  constructor(private readonly opts: ReporterOptions = {}) {}

  onSuiteEnd(results: RunResult[]): void {
    const file = this.opts.outFile ?? join(results[0]?.artifactsDir ?? ".", "gameday.json");
    const runs = results.map((r) => ({ ...r, journal: Journal.read(r.journalPath) }));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${redact(JSON.stringify({ runs }, null, 2))}\n`);
  }
}
