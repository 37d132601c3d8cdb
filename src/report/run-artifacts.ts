import type { RunResult } from "../run/run-result.js";
import { HtmlReporter } from "./html/html-reporter.js";
import { JunitReporter } from "./junit-reporter.js";
import { MarkdownReporter } from "./markdown-reporter.js";
import { ReporterSet } from "./reporter-registry.js";

/** Each run keeps its own JUnit, Markdown and HTML report beside its journal, inline or on a worker. */
export async function writeRunArtifacts(result: RunResult): Promise<void> {
  await new ReporterSet([new JunitReporter(), new MarkdownReporter(), new HtmlReporter()]).onSuiteEnd([
    result,
  ]);
}
