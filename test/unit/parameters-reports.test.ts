import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderRunSection } from "../../src/report/html/run-section.js";
import { JunitReporter } from "../../src/report/junit-reporter.js";
import { renderRun } from "../../src/report/markdown-reporter.js";
import { buildRunView } from "../../src/report/run-view.js";
import { Journal } from "../../src/run/journal.js";
import type { RunResult } from "../../src/run/run-result.js";

/** A finished run's folder: a journal with run.started and run.finished, and run.json. */
function runFolder(
  parameters: RunResult["parameters"],
  journalOnly = false,
): { dir: string; result: RunResult } {
  const dir = mkdtempSync(join(tmpdir(), "gameday-param-report-"));
  const journal = new Journal(dir, "r1");
  journal.write("run.started", {
    experiment: "payments-latency[latency=800ms]",
    file: "e.yaml",
    target: "sandbox",
    ...(parameters ? { parameters } : {}),
  });
  journal.write("run.finished", { verdict: "passed", exitCode: 0, reason: "all held" });
  journal.close();
  const result: RunResult = {
    runId: "r1",
    experiment: "payments-latency[latency=800ms]",
    ...(parameters ? { parameters } : {}),
    file: "e.yaml",
    target: "sandbox",
    verdict: "passed",
    exitCode: 0,
    reason: "all held",
    startedAt: 1,
    endedAt: 2,
    plans: [],
    steadyStateBefore: [],
    expectations: [],
    recovery: [],
    timeline: { faults: {} },
    remaining: [],
    artifactsDir: dir,
    journalPath: journal.path,
  };
  if (!journalOnly) writeFileSync(join(dir, "run.json"), JSON.stringify(result));
  return { dir, result };
}

describe("a run's parameters in the reports", () => {
  it("Markdown, JUnit properties and the HTML run header show every resolved value", () => {
    const { dir, result } = runFolder({ latency: "800ms", toxicity: 0.5 });
    expect(renderRun(result)).toContain("- parameters: latency=800ms, toxicity=0.5\n");
    const xml = JunitReporter.build([result]).build();
    expect(xml).toContain('<property name="param.latency" value="800ms"/>');
    expect(xml).toContain('<property name="param.toxicity" value="0.5"/>');
    const view = buildRunView(dir);
    expect(view.parameters).toEqual({ latency: "800ms", toxicity: 0.5 });
    expect(renderRunSection(view)).toContain("<dt>parameters</dt><dd>latency=800ms, toxicity=0.5</dd>");
  });

  it("a run without run.json takes them from the journal; a run without parameters shows none", () => {
    expect(buildRunView(runFolder({ latency: "2s" }, true).dir).parameters).toEqual({ latency: "2s" });
    const { dir, result } = runFolder(undefined);
    expect(renderRun(result)).not.toContain("parameters");
    expect(JunitReporter.build([result]).build()).not.toContain("param.");
    expect(renderRunSection(buildRunView(dir))).not.toContain("<dt>parameters</dt>");
  });
});
