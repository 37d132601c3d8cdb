import pc from "picocolors";
import type { RunSummary } from "../interfaces/run-store.js";
import type { RunView } from "../report/run-view.js";
import { clockText, spanText } from "../report/time-text.js";

const time = clockText;

function label(r: RunSummary): string {
  if (r.status !== "finished") return pc.yellow(r.status);
  const v = r.verdict ?? "unknown";
  const paint = v === "passed" ? pc.green : v === "failed" || v === "error" ? pc.red : pc.yellow;
  return paint(v);
}

/** One line per experiment run of the state folder (and Redis), newest first. */
export function printSummaryLine(r: RunSummary, out: NodeJS.WritableStream): void {
  const took = spanText(r.startedAt, r.endedAt);
  out.write(
    `${r.runId}  ${label(r).padEnd(8)}  ${time(r.startedAt)}  ${took.padStart(8)}  ${r.experiment}${r.gameDay ? ` [${r.gameDay}]` : ""}\n`,
  );
}

/** `gameday runs show <id>` for an experiment run: verdict, expectations, faults, artifacts, what could not be read. */
export function printRunView(r: RunSummary, v: RunView, out: NodeJS.WritableStream): void {
  const lines = [
    `${pc.bold(`run ${r.runId}`)}  experiment ${v.experiment}${v.gameDay ? ` (game day ${v.gameDay})` : ""}`,
    `  file:      ${v.file ?? "-"}`,
    `  target:    ${v.target ?? "-"}`,
    `  status:    ${r.status}${v.verdict ? `, verdict ${label(r)} (exit ${v.exitCode ?? "?"})` : ""}`,
    ...(v.reason ? [`  reason:    ${v.reason}`] : []),
    `  started:   ${time(v.startedAt)}`,
    `  ended:     ${time(v.endedAt)}`,
    `  from:      ${r.sources.join(" + ")}`,
  ];
  for (const s of v.series.filter((x) => x.group === "expect"))
    lines.push(
      `  ${s.status === "passed" ? pc.green("✓") : s.status === "failed" ? pc.red("✗") : "·"} ${s.label}: ${s.status}${s.summary ? ` — ${s.summary}` : ""}`,
    );
  for (const f of v.faults)
    lines.push(
      `  fault ${f.name}: ${f.description ?? ""}${f.revertFailed ? pc.red(` REVERT FAILED: ${f.revertFailed}`) : ""}`,
    );
  for (const x of v.remaining) lines.push(pc.red(`  !! MAY REMAIN INJECTED: ${x}`));
  for (const p of v.problems) lines.push(pc.yellow(`  ! ${p}`));
  lines.push(pc.dim(`  artifacts: ${v.dir} (report.html, report.md, journal.jsonl, samples.jsonl)`));
  out.write(`${lines.join("\n")}\n`);
}
