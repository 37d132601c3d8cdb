import type { RunResult } from "../run/run-result.js";
import { JunitReporter } from "./junit-reporter.js";
import { MarkdownReporter } from "./markdown-reporter.js";
import { ReporterSet } from "./reporter-registry.js";

/** Each run keeps its own JUnit and Markdown report beside its journal, inline or on a worker. */
export async function writeRunArtifacts(result: RunResult): Promise<void> {
  await new ReporterSet([new JunitReporter(), new MarkdownReporter()]).onSuiteEnd([result]);
}
