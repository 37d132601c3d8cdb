import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ReporterOptions } from "../../interfaces/reporter.js";
import type { KillMatrix } from "../kill-matrix.js";
import type { KillMatrixReporter } from "./kill-matrix-reporter.js";
import { cellMark, headline, percent } from "./matrix-text.js";

const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderMatrixMarkdown(m: KillMatrix): string {
  const out = [`# Kill matrix: ${m.gameDay}`, ""];
  out.push(`- file: \`${m.file}\`, prove id \`${m.proveId}\``);
  out.push(`- healthy run: ${m.healthy.passed ? "passed" : `did not pass (${esc(m.healthy.reason)})`}`);
  out.push(`- mutation score: **${m.score.killed}/${m.score.total} (${percent(m)})**, exit ${m.exitCode}`);
  out.push(`- mode: ${m.fullMatrix ? "full matrix" : "each mutant stops at its first failed check"}`, "");
  if (m.mutants.length) {
    out.push("## Mutants", "", "| mutant | status | reason | seconds |", "|---|---|---|---|");
    for (const o of m.mutants)
      out.push(`| ${o.mutant} | ${o.status} | ${esc(o.reason)} | ${(o.durationMs / 1000).toFixed(1)} |`);
    out.push("", "## Matrix", "", `| check | ${m.mutants.map((o) => o.mutant).join(" | ")} |`);
    out.push(`|---|${m.mutants.map(() => "---").join("|")}|`);
    for (const r of m.rows)
      out.push(`| ${esc(r.id)} | ${m.mutants.map((o) => cellMark(m, o.mutant, r.id)).join(" | ")} |`);
    out.push("");
  }
  out.push("## Findings", "", ...headline(m).map((l) => `- ${esc(l)}`), "");
  return out.join("\n");
}

export class MarkdownMatrixReporter implements KillMatrixReporter {
  constructor(private readonly opts: ReporterOptions = {}) {}

  onProveEnd(matrix: KillMatrix): void {
    const file = this.opts.outFile ?? "kill-matrix.md";
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, renderMatrixMarkdown(matrix));
  }
}
