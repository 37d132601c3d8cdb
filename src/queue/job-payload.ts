import { z } from "zod";
import { notifierName } from "../targets/notify-schema.js";

/**
 * What a queued job carries: the texts of its experiment files, which name their targets. Never
 * reach: the worker resolves every target name in its own targets file and validates it all again.
 */
export const jobPayloadSchema = z.strictObject({
  v: z.literal(1),
  /** The game day's name (or the single experiment's). */
  name: z.string().min(1),
  kind: z.enum(["suite", "experiment"]),
  /** The file that was enqueued or scheduled. */
  file: z.string().min(1),
  continueOnFailure: z.boolean(),
  experiments: z.array(z.strictObject({ file: z.string().min(1), text: z.string() })).min(1),
  /** Sent by older enqueuers; accepted so their jobs still parse, and never read. */
  targets: z.strictObject({ file: z.string().min(1), text: z.string() }).optional(),
  /**
   * The game day's `spec.notify`: names among the worker's own targets' notifiers, never a URL. The
   * targets' own name pattern, so a hostile name never reaches a log line or a failed job's reason.
   */
  notify: z.array(notifierName).max(20).optional(),
  /** Set on jobs a schedule created: at most one run of that game day at a time. */
  schedule: z.string().optional(),
});

export type JobPayload = z.infer<typeof jobPayloadSchema>;
