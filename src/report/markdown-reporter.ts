import { join } from "node:path";
import type { Reporter, ReporterOptions } from "../interfaces/reporter.js";
import { Journal } from "../run/journal.js";
import type { RunResult } from "../run/run-result.js";
import { parametersText } from "./parameters-text.js";
import { timelineText } from "./timeline-text.js";
import { writeReport } from "./write-report.js";

const ICON = {
  passed: "✅ passed",
  failed: "❌ failed",
  aborted: "⛔ aborted",
  "not-run": "⏸ not run",
  error: "🔥 error",
};

function rel(t: number, t0: number): string {
  const s = (t - t0) / 1000;
  return `+${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, "0")}`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderRun(r: RunResult): string {
  const events = Journal.read(r.journalPath);
  const out: string[] = [`## ${r.experiment}: ${ICON[r.verdict]}`, ""];
  if (r.description) out.push(`> ${r.description}`, "");
  out.push(
    `- file: \`${r.file}\`, target: \`${r.target}\`, run id: \`${r.runId}\``,
    ...(r.parameters ? [`- parameters: ${cell(parametersText(r.parameters) ?? "")}`] : []),
    `- started ${new Date(r.startedAt).toISOString()}, took ${((r.endedAt - r.startedAt) / 1000).toFixed(1)} s`,
    r.load ? `- load: ${r.load.requests} requests, ${r.load.errors} errors` : "- load: none",
    `- verdict: ${r.reason}`,
    "",
  );
  if (r.remaining.length) out.push("### ⚠️ May remain injected", "", ...r.remaining.map((x) => `- ${x}`), "");
  out.push("### Expectations", "", "| expectation | semantics | result | observed |", "|---|---|---|---|");
  for (const e of r.expectations)
    out.push(
      `| ${cell(e.name)} | ${cell(e.semantics)} | ${e.status === "passed" ? "✅" : "❌"} ${e.status} | ${cell(e.summary)} |`,
    );
  for (const s of [
    ...r.steadyStateBefore.map((s) => ["before", s] as const),
    ...r.recovery.map((s) => ["recovery", s] as const),
  ])
    out.push(
      `| ${cell(s[1].name)} | steady state ${s[0]} | ${s[1].ok ? "✅ held" : "❌ did not hold"} | ${cell(s[1].summary)} |`,
    );
  const violated = r.expectations.filter((e) => e.violation);
  if (violated.length) {
    out.push(
      "",
      "### Violations",
      "",
      "| expectation | threshold | worst | started | violated for |",
      "|---|---|---|---|---|",
    );
    for (const e of violated) {
      const v = e.violation as NonNullable<typeof e.violation>;
      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      out.push(
        `| ${cell(e.name)} | ${cell(e.threshold?.text ?? "")} | ${cell(v.worstText)} at +${s(v.worstAfterMs)} | +${s(v.startedAfterMs)} | ${s(v.violatingMs)} of ${s(v.windowMs)} (${v.violatingSamples} of ${v.samples} samples${v.episodes > 1 ? `, ${v.episodes} episodes` : ""}) |`,
      );
    }
  }
  out.push("", "### Faults", "");
  for (const p of r.plans) out.push(`- \`${p.fault}\` (${p.family}): ${p.action}`);
  out.push("", "### Timeline", "");
  for (const e of events) {
    const line = timelineText(e);
    if (line) out.push(`- \`${rel(e.t, r.startedAt)}\` ${line}`);
  }
  out.push(
    "",
    `Artifacts: \`${r.artifactsDir}\` (journal.jsonl, samples.jsonl, run.json, junit.xml, report.md, report.html)`,
    "",
  );
  return out.join("\n");
}

/** The human report: hypothesis, what held, what broke, and a timeline of what was injected when. */
export class MarkdownReporter implements Reporter {
  constructor(private readonly opts: ReporterOptions = {}) {}

  onSuiteEnd(results: RunResult[]): void {
    const file = this.opts.outFile ?? join(results[0]?.artifactsDir ?? ".", "report.md");
    const passed = results.filter((r) => r.verdict === "passed").length;
    const head = [`# Game day report`, "", `${passed} of ${results.length} experiments passed.`, ""];
    writeReport(file, [...head, ...results.map(renderRun)].join("\n"));
  }
}
