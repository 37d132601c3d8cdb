import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ReporterOptions } from "../../interfaces/reporter.js";
import type { KillMatrix } from "../kill-matrix.js";
import type { KillMatrixReporter } from "./kill-matrix-reporter.js";

export class JsonMatrixReporter implements KillMatrixReporter {
  constructor(private readonly opts: ReporterOptions = {}) {}

  onProveEnd(matrix: KillMatrix): void {
    const file = this.opts.outFile ?? "kill-matrix.json";
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(matrix, null, 2)}\n`);
  }
}
