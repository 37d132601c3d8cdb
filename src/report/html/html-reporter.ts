import { join } from "node:path";
import type { Reporter, ReporterOptions } from "../../interfaces/reporter.js";
import type { RunResult } from "../../run/run-result.js";
import { loadRunView } from "../load-run-view.js";
import { writeReport } from "../write-report.js";
import { renderReportDocument } from "./report-document.js";

/**
 * report.html: one self-contained page per run beside report.md, or (with --html) one page for
 * the whole invocation, each experiment a section with its charts.
 */
export class HtmlReporter implements Reporter {
  constructor(private readonly opts: ReporterOptions = {}) {}

  async onSuiteEnd(results: RunResult[]): Promise<void> {
    if (!results.length) return;
    const file = this.opts.outFile ?? join(results[0]?.artifactsDir ?? ".", "report.html");
    const views = await Promise.all(results.map((r) => loadRunView(r.artifactsDir)));
    const title =
      results.length === 1
        ? `gameday: ${results[0]?.experiment}`
        : `Game day report${results[0]?.gameDay ? `: ${results[0].gameDay}` : ""}`;
    writeReport(file, await renderReportDocument(title, views));
  }
}
