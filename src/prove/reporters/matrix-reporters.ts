import type { ReporterOptions } from "../../interfaces/reporter.js";
import { JsonMatrixReporter } from "./json-matrix-reporter.js";
import { JunitMatrixReporter } from "./junit-matrix-reporter.js";
import type { KillMatrixReporter } from "./kill-matrix-reporter.js";
import { MarkdownMatrixReporter } from "./markdown-matrix-reporter.js";

/** The kill matrix's file reporters by name, selected by --report/--json/--junit as REPORTERS are for runs. */
export const MATRIX_REPORTERS: Record<
  "markdown" | "json" | "junit",
  new (
    opts?: ReporterOptions,
  ) => KillMatrixReporter
> = {
  markdown: MarkdownMatrixReporter,
  json: JsonMatrixReporter,
  junit: JunitMatrixReporter,
};
