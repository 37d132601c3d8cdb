import { z } from "zod";
import { redactDeep } from "../../redact/redact.js";
import type { JournalEvent } from "../../run/journal-schema.js";
import { NOTIFY_EVENTS } from "../../targets/notify-schema.js";

/** The JSON body a webhook receives (and what the Slack and Grafana formats are made from). */
export const notifyEventSchema = z.strictObject({
  /** `<runId>.<n>`: the same on every retry and every notifier, so receivers can drop duplicates. */
  id: z.string(),
  event: z.enum(NOTIFY_EVENTS),
  /** When it happened (the journal event's time), ISO 8601. */
  time: z.string(),
  runId: z.string(),
  experiment: z.string(),
  target: z.string(),
  gameDay: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
});

export type NotifyEvent = z.infer<typeof notifyEventSchema>;

/** A webhook body: the event and when it was sent (signed with it; equals X-Gameday-Timestamp). */
export const webhookBodySchema = notifyEventSchema.extend({ sentAt: z.string() });

export type WebhookBody = z.infer<typeof webhookBodySchema>;

/** Long texts (reasons, summaries) are cut: a notification is a pointer to the report, not the report. */
const MAX_TEXT = 1000;
const text = (v: unknown) => {
  const s = typeof v === "string" ? v : v === undefined ? "" : String(v);
  return s.length <= MAX_TEXT ? s : `${s.slice(0, MAX_TEXT)}…`;
};

/**
 * Turns one run's journal events into notify events: run.started, fault.injected and
 * fault.reverted, expectation.failed (once per expectation), aborted, verdict. Other events map to
 * nothing. One mapper per run.
 */
export class NotifyEventMapper {
  private seen = 0;
  private run = { experiment: "?", target: "?", gameDay: undefined as string | undefined };
  private readonly failed = new Set<string>();
  private readonly starts = new Map<string, number>();

  map(e: JournalEvent): NotifyEvent | undefined {
    this.seen++;
    const d = e.data;
    const made = this.data(e);
    if (!made) return undefined;
    if (e.type === "run.started")
      this.run = {
        experiment: text(d.experiment),
        target: text(d.target),
        gameDay: typeof d.gameDay === "string" ? d.gameDay : undefined,
      };
    return redactDeep({
      id: `${e.runId}.${this.seen}`,
      event: made.event,
      time: new Date(e.t).toISOString(),
      runId: e.runId,
      experiment: this.run.experiment,
      target: this.run.target,
      ...(this.run.gameDay ? { gameDay: this.run.gameDay } : {}),
      data: made.data,
    });
  }

  private data(e: JournalEvent): Pick<NotifyEvent, "event" | "data"> | undefined {
    const d = e.data;
    switch (e.type) {
      case "run.started":
        return { event: "run.started", data: { file: text(d.file) } };
      case "fault.injected":
        this.starts.set(text(d.fault), e.t);
        return { event: "fault.injected", data: { fault: text(d.fault), description: text(d.description) } };
      case "fault.reverted": {
        // A sweep's revert names an owner tag, not one of this run's planned faults.
        const fault = text(d.fault ?? d.ownerTag);
        const start = this.starts.get(fault);
        this.starts.delete(fault);
        return {
          event: "fault.reverted",
          data: {
            fault,
            ...(start !== undefined
              ? { injectedAt: new Date(start).toISOString(), durationMs: e.t - start }
              : {}),
            ...(d.sweep ? { sweep: true } : {}),
          },
        };
      }
      case "expectation": {
        const name = text(d.name);
        if (d.status !== "failed" || this.failed.has(name)) return undefined;
        this.failed.add(name);
        return {
          event: "expectation.failed",
          data: { expectation: name, ...(d.summary !== undefined ? { summary: text(d.summary) } : {}) },
        };
      }
      case "abort":
        return { event: "aborted", data: { reason: text(d.reason), by: text(d.by) } };
      case "run.finished":
        return {
          event: "verdict",
          data: {
            verdict: text(d.verdict),
            exitCode: d.exitCode,
            reason: text(d.reason),
            // Faults never verified reverted: what may remain in the target.
            ...(this.starts.size
              ? {
                  unreverted: [...this.starts].map(([fault, t]) => ({
                    fault,
                    injectedAt: new Date(t).toISOString(),
                  })),
                }
              : {}),
          },
        };
      default:
        return undefined;
    }
  }
}
