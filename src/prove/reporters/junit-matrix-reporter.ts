import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import junitModule, { type Builder } from "junit-report-builder";
import type { ReporterOptions } from "../../interfaces/reporter.js";
import type { KillMatrix } from "../kill-matrix.js";
import type { KillMatrixReporter } from "./kill-matrix-reporter.js";

const junit = ((junitModule as unknown as { default?: Builder }).default ??
  junitModule) as unknown as Builder;

/** One testcase per mutant (a survivor is a failure, an error an error), plus the healthy run. */
export class JunitMatrixReporter implements KillMatrixReporter {
  constructor(private readonly opts: ReporterOptions = {}) {}

  static build(m: KillMatrix): Builder {
    const builder = junit.newBuilder();
    const suite = builder
      .testSuite()
      .name(`gameday prove ${m.gameDay}`)
      .timestamp(new Date(m.startedAt).toISOString());
    suite
      .property("proveId", m.proveId)
      .property("score", `${m.score.killed}/${m.score.total}`)
      .property("file", m.file);
    const cls = `gameday.prove.${m.gameDay}`;
    const healthy = suite
      .testCase()
      .className(cls)
      .name("healthy run passes")
      .time(m.healthy.durationMs / 1000);
    if (!m.healthy.passed) healthy.failure(m.healthy.reason, "HealthyRunFailed");
    for (const o of m.mutants) {
      const tc = suite
        .testCase()
        .className(cls)
        .name(`mutant ${o.mutant} is killed`)
        .time(o.durationMs / 1000);
      tc.standardOutput(o.killedBy.length ? `killed by: ${o.killedBy.join("; ")}` : o.reason);
      if (o.status === "survived") tc.failure(`survived: ${o.reason}`, "MutantSurvived");
      if (o.status === "error") tc.error(o.reason, "MutantError");
    }
    return builder;
  }

  onProveEnd(matrix: KillMatrix): void {
    const file = this.opts.outFile ?? "kill-matrix.xml";
    mkdirSync(dirname(file), { recursive: true });
    JunitMatrixReporter.build(matrix).writeTo(file);
  }
}
