import { type JournalEvent, journalEventSchema } from "../../src/run/journal-schema.js";

/**
 * The journal of one small run, event for event as the runner writes it (types and data fields
 * of src/run/steps and experiment-runner.ts), parsed by the journal's own schema: a fault
 * injected and reverted, an expectation that broke (live, then its final result), and the verdict.
 */
export function fakeRunEvents(
  runId = "20261202-0100-abcd",
  t0 = Date.UTC(2026, 11, 2, 1, 0, 0),
): JournalEvent[] {
  const at = (s: number) => t0 + s * 1000;
  const raw = [
    {
      t: at(0),
      type: "run.started",
      data: {
        experiment: "payments-latency",
        file: "experiments/payments-latency.yaml",
        target: "staging",
        pid: 1,
        gameDay: "monthly",
      },
    },
    { t: at(0.1), type: "phase", data: { phase: "preflight" } },
    { t: at(0.5), type: "preflight.ok", data: { plans: [] } },
    {
      t: at(1),
      type: "steady-state",
      data: { when: "before", results: [{ name: "errors", ok: true, summary: "0" }] },
    },
    { t: at(2), type: "fault.injecting", data: { fault: "slow-payments", family: "toxiproxy", spec: {} } },
    {
      t: at(2.1),
      type: "fault.injected",
      data: {
        fault: "slow-payments",
        ownerTag: "gameday@i.r.slow-payments",
        description: "latency 800ms on payments",
      },
    },
    {
      t: at(5),
      type: "expectation",
      data: { name: "checkout keeps serving", status: "failed", settled: true },
    },
    {
      t: at(22),
      type: "fault.reverting",
      data: { fault: "slow-payments", ownerTag: "gameday@i.r.slow-payments" },
    },
    {
      t: at(22.2),
      type: "fault.reverted",
      data: { fault: "slow-payments", ownerTag: "gameday@i.r.slow-payments" },
    },
    {
      t: at(30),
      type: "expectation",
      data: { name: "checkout keeps serving", status: "failed", summary: "worst 0.31 >= 0.05" },
    },
    { t: at(30), type: "expectation", data: { name: "breaker opens", status: "passed", summary: "held" } },
    {
      t: at(30.1),
      type: "run.finished",
      data: { verdict: "failed", exitCode: 1, reason: "1 of 2 expectations did not hold" },
    },
  ];
  return raw.map((e) => journalEventSchema.parse({ runId, ...e }));
}

/** A run stopped by an abort condition, with a fault whose revert could not be verified. */
export function abortedRunEvents(
  runId = "20261202-0200-dcba",
  t0 = Date.UTC(2026, 11, 2, 2, 0, 0),
): JournalEvent[] {
  const at = (s: number) => t0 + s * 1000;
  const raw = [
    {
      t: at(0),
      type: "run.started",
      data: { experiment: "risk-outage", file: "e.yaml", target: "staging", pid: 1 },
    },
    {
      t: at(1),
      type: "fault.injected",
      data: { fault: "risk-down", ownerTag: "o", description: "outage of risk" },
    },
    { t: at(4), type: "abort", data: { reason: "errorRatio above 0.5 for 5s", by: "condition" } },
    {
      t: at(4.5),
      type: "fault.revert-failed",
      data: { fault: "risk-down", ownerTag: "o", error: "toxiproxy away" },
    },
    {
      t: at(5),
      type: "run.finished",
      data: { verdict: "error", exitCode: 5, reason: "rollback could not be verified" },
    },
  ];
  return raw.map((e) => journalEventSchema.parse({ runId, ...e }));
}
