import pc from "picocolors";
import { clockText, spanText } from "../report/time-text.js";
import type { RunRecord } from "./run-record.js";

const time = clockText;
const secs = spanText;

export function verdictLabel(r: RunRecord): string {
  if (r.status !== "finished") return pc.yellow(r.status);
  const v = r.verdict ?? "error";
  const paint = v === "passed" ? pc.green : v === "failed" || v === "error" ? pc.red : pc.yellow;
  return paint(v);
}

/** `gameday runs show`: status, verdict, timings, what failed, what was reverted, where the artifacts are. */
export function printRecord(r: RunRecord, out: NodeJS.WritableStream): void {
  const lines = [
    `${pc.bold(`run ${r.id}`)}  ${r.kind} ${r.name}${r.schedule ? ` (schedule ${r.schedule})` : ""}`,
    `  file:      ${r.file}`,
    `  status:    ${r.status}${r.verdict ? `, verdict ${verdictLabel(r)} (exit ${r.exitCode})` : ""}`,
    ...(r.reason ? [`  reason:    ${r.reason}`] : []),
    `  enqueued:  ${time(r.enqueuedAt)}`,
    `  started:   ${time(r.startedAt)} (waited ${secs(r.enqueuedAt, r.startedAt)})`,
    `  ended:     ${time(r.endedAt)} (ran ${secs(r.startedAt, r.endedAt)})`,
    ...(r.worker ? [`  worker:    ${r.worker.id}`] : []),
  ];
  for (const e of r.experiments) {
    lines.push(
      `  ${e.verdict === "passed" ? pc.green("✓") : pc.red("✗")} ${e.experiment} on ${e.target}: ${e.verdict} (exit ${e.exitCode}) in ${secs(e.startedAt, e.endedAt)} — ${e.reason}`,
    );
    for (const f of e.failing) lines.push(`      ${pc.red("✗")} ${f}`);
    lines.push(pc.dim(`      artifacts: ${e.artifactsDir}`));
  }
  for (const x of r.reverted) lines.push(`  ${pc.cyan("↺ reverted by janitor")} ${x}`);
  for (const x of r.remaining) lines.push(pc.red(`  !! MAY REMAIN INJECTED: ${x}`));
  if (r.artifacts) lines.push(`  report:    ${r.artifacts.report}`, `  junit:     ${r.artifacts.junit}`);
  out.write(`${lines.join("\n")}\n`);
}

/** One line per run for `gameday runs`. */
export function printRecordLine(r: RunRecord, out: NodeJS.WritableStream): void {
  const passed = r.experiments.filter((e) => e.verdict === "passed").length;
  out.write(
    `${r.id}  ${verdictLabel(r).padEnd(8)}  ${time(r.startedAt ?? r.enqueuedAt)}  ${secs(r.startedAt, r.endedAt).padStart(8)}  ${passed}/${r.experiments.length}  ${r.name}${r.schedule ? ` [${r.schedule}]` : ""}\n`,
  );
}
