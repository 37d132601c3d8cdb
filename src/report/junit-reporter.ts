import { createRequire } from "node:module";
import { join } from "node:path";
import type { Builder } from "junit-report-builder";
import type { Reporter, ReporterOptions } from "../interfaces/reporter.js";
import type { RunResult } from "../run/run-result.js";
import { writeReport } from "./write-report.js";

let loaded: Builder | undefined;

/**
 * junit-report-builder is one 790 KB CommonJS file (lodash and xmlbuilder inside) that costs a cold
 * `gameday run` more than a tenth of a second to load, and a run needs it only for junit.xml at its
 * end. So it is required on first use, and `preloadJunit()` lets the run load it while the method
 * waits on its faults instead of before the first step.
 */
function junit(): Builder {
  if (!loaded) {
    const m = createRequire(import.meta.url)("junit-report-builder") as Builder | { default: Builder };
    // A CommonJS package whose types claim an ESM default: the builder is the export or its default.
    loaded = "default" in m ? m.default : m;
  }
  return loaded;
}

/** Loads the JUnit builder now (idempotent), so writing junit.xml later costs only the writing. */
export function preloadJunit(): void {
  junit();
}

/** One testsuite per run, one testcase per expectation, with observed values in failure messages. */
export class JunitReporter implements Reporter {
  constructor(private readonly opts: ReporterOptions = {}) {}

  static build(results: RunResult[]): Builder {
    const builder = junit().newBuilder();
    for (const r of results) {
      const suite = builder.testSuite().name(r.experiment).timestamp(new Date(r.startedAt).toISOString());
      suite.property("runId", r.runId).property("verdict", r.verdict).property("file", r.file);
      for (const [name, value] of Object.entries(r.parameters ?? {}))
        suite.property(`param.${name}`, String(value));
      const cls = `gameday.${r.experiment}`;
      const time = (r.endedAt - r.startedAt) / 1000;
      for (const s of r.steadyStateBefore) {
        const tc = suite.testCase().className(cls).name(`steady state before: ${s.name}`).file(r.file);
        if (!s.ok) tc.failure(s.summary, "SteadyStateNotMet");
      }
      for (const e of r.expectations) {
        const tc = suite.testCase().className(cls).name(e.name).file(r.file);
        tc.standardOutput(`${e.semantics}: ${e.summary}`);
        if (e.threshold) tc.property("threshold", e.threshold.text);
        if (e.violation) {
          tc.property("worst", String(Number(e.violation.worst.toPrecision(6))));
          tc.property("violationStartedAfterMs", String(e.violation.startedAfterMs));
          tc.property("violatingMs", String(e.violation.violatingMs));
          tc.property("windowMs", String(e.violation.windowMs));
        }
        if (e.status !== "passed") tc.failure(`${e.semantics}: ${e.summary}`, "ExpectationFailed");
      }
      for (const s of r.recovery) {
        const tc = suite.testCase().className(cls).name(`recovery: ${s.name}`).file(r.file);
        if (!s.ok) tc.failure(s.summary, "RecoveryFailed");
      }
      // The run itself is a testcase so aborted, not-run and rollback errors are never green.
      const run = suite.testCase().className(cls).name("run verdict").file(r.file).time(time);
      if (r.verdict === "error") run.error(r.reason, "RunError");
      else if (r.verdict === "aborted" || r.verdict === "not-run") run.failure(r.reason, r.verdict);
      else if (r.verdict === "failed") run.failure(r.reason, "failed");
    }
    return builder;
  }

  onSuiteEnd(results: RunResult[]): void {
    const file = this.opts.outFile ?? join(results[0]?.artifactsDir ?? ".", "junit.xml");
    writeReport(file, JunitReporter.build(results).build());
  }
}
