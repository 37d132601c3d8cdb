import type { JournalEvent } from "../run/journal-schema.js";

/** One line of a run's timeline in plain words; undefined for events a reader need not see. */
export function timelineText(e: JournalEvent): string | undefined {
  const d = e.data as Record<string, unknown>;
  switch (e.type) {
    case "phase":
      return `phase ${d.phase}`;
    case "fault.injecting":
      return `injecting ${d.fault}`;
    case "fault.injected":
      return `injected ${d.fault}: ${d.description}`;
    case "fault.reverted":
      return `reverted and verified ${d.fault ?? d.ownerTag}${d.sweep ? " (sweep)" : ""}`;
    case "fault.revert-failed":
      return `REVERT FAILED ${d.fault}: ${d.error}`;
    case "steady-state":
      return `steady state ${d.when}: ${((d.results as { name: string; ok: boolean }[] | undefined) ?? []).map((r) => `${r.name} ${r.ok ? "held" : "did not hold"}`).join(", ") || "(none declared)"}`;
    case "expectation":
      return d.settled ? `expectation "${d.name}" ${d.status}` : undefined;
    case "abort":
      return `abort (${d.by}): ${d.reason}`;
    case "signal":
      return `${d.signal} received${d.by ? ` from ${d.by}` : ""}`;
    case "run.halted":
      return `halted by ${d.by}@${d.host}: ${d.reason}`;
    case "error":
      return `error: ${d.message}`;
    case "run.finished":
      return `verdict ${d.verdict} (exit ${d.exitCode})`;
    default:
      return undefined;
  }
}
