import { z } from "zod";

export const JOURNAL_EVENTS = [
  "run.started",
  "phase",
  "preflight.ok",
  "steady-state",
  "fault.injecting",
  "fault.injected",
  "fault.reverting",
  "fault.reverted",
  "fault.revert-failed",
  "fault.changed",
  "fault.check-failed",
  "expectation",
  "abort",
  "signal",
  "run.halted",
  "error",
  "run.finished",
] as const;

/** One line of journal.jsonl. Written (and fsynced) before the action it announces. */
export const journalEventSchema = z.object({
  t: z.number().describe("epoch ms"),
  runId: z.string(),
  type: z.enum(JOURNAL_EVENTS),
  data: z.record(z.string(), z.unknown()).default({}),
});

export type JournalEvent = z.infer<typeof journalEventSchema>;
export type JournalEventType = JournalEvent["type"];
