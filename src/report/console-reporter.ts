import pc from "picocolors";
import type { Reporter, ReporterOptions } from "../interfaces/reporter.js";
import type { JournalEvent } from "../run/journal-schema.js";
import type { ProgressSnapshot } from "../run/run-context.js";
import type { RunResult } from "../run/run-result.js";

const VERDICT = {
  passed: pc.green("PASSED"),
  failed: pc.red("FAILED"),
  aborted: pc.yellow("ABORTED"),
  "not-run": pc.yellow("NOT RUN"),
  error: pc.bgRed(pc.white("ERROR")),
};

const mmss = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
};

/** Live progress: a rewritten status line on a terminal, a line every few seconds in CI logs. */
export class ConsoleReporter implements Reporter {
  private readonly out: NodeJS.WriteStream;
  private readonly tty: boolean;
  private lastLine = 0;
  private lastPhase = "";
  private statusShown = false;

  constructor(opts: ReporterOptions = {}) {
    this.out = opts.stream ?? process.stderr;
    this.tty = Boolean(this.out.isTTY);
  }

  private print(line: string): void {
    if (this.statusShown) this.out.write("\r\x1b[2K");
    this.statusShown = false;
    this.out.write(`${line}\n`);
  }

  onEvent(e: JournalEvent): void {
    const d = e.data as Record<string, unknown>;
    if (e.type === "run.started") this.print(pc.bold(`▶ ${d.experiment} (${d.file}) run ${e.runId}`));
    if (e.type === "fault.injected")
      this.print(`  ${pc.magenta("⚡ injected")} ${d.fault}: ${d.description}`);
    if (e.type === "fault.reverted")
      this.print(`  ${pc.cyan("↺ reverted")} ${d.fault ?? d.ownerTag} (verified)`);
    if (e.type === "fault.revert-failed") this.print(pc.red(`  ✗ REVERT FAILED ${d.fault}: ${d.error}`));
    if (e.type === "expectation" && d.settled)
      this.print(`  ${d.status === "passed" ? pc.green("✓ held") : pc.red("✗ broke")}: ${d.name}`);
    if (e.type === "abort") this.print(pc.yellow(`  ⛔ abort (${d.by}): ${d.reason}`));
    if (e.type === "error") this.print(pc.red(`  ✗ ${d.message}`));
    if (e.type === "steady-state")
      for (const r of d.results as { name: string; ok: boolean; summary: string }[])
        this.print(`  ${r.ok ? pc.green("✓") : pc.red("✗")} steady state ${d.when}: ${r.name}: ${r.summary}`);
  }

  onProgress(s: ProgressSnapshot): void {
    const counts = { passed: 0, failed: 0, pending: 0 };
    for (const e of s.expectations) counts[e.status as keyof typeof counts]++;
    const line =
      `  [${s.phase}] ${mmss(s.elapsedMs)}/${mmss(s.plannedMs)}` +
      ` faults: ${s.activeFaults.length ? s.activeFaults.join(",") : "-"}` +
      ` expectations: ${pc.green(`✓${counts.passed}`)} ${pc.red(`✗${counts.failed}`)} …${counts.pending}`;
    if (this.tty) {
      this.out.write(`\r\x1b[2K${line}`);
      this.statusShown = true;
    } else if (Date.now() - this.lastLine >= 5000 || s.phase !== this.lastPhase) {
      this.lastLine = Date.now();
      this.out.write(`${line}\n`);
    }
    this.lastPhase = s.phase;
  }

  onRunEnd(r: RunResult): void {
    for (const e of r.expectations)
      this.print(
        `  ${e.status === "passed" ? pc.green("✓") : pc.red("✗")} ${e.name} — ${e.semantics}: ${e.summary}`,
      );
    if (r.remaining.length)
      this.print(
        pc.red(pc.bold(`  !! MAY REMAIN INJECTED: ${r.remaining.join("; ")} — run \`gameday recover\``)),
      );
    this.print(
      `${VERDICT[r.verdict]} ${r.experiment} (exit ${r.exitCode}) in ${((r.endedAt - r.startedAt) / 1000).toFixed(1)} s — ${r.reason}`,
    );
    this.print(pc.dim(`  artifacts: ${r.artifactsDir}`));
  }

  onSuiteEnd(results: RunResult[]): void {
    if (results.length < 2) return;
    const passed = results.filter((r) => r.verdict === "passed").length;
    this.print(pc.bold(`\nGame day: ${passed}/${results.length} experiments passed`));
    for (const r of results) this.print(`  ${VERDICT[r.verdict]} ${r.experiment}`);
  }
}
