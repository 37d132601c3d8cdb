import { z } from "zod";
import { credentialSourceSchema } from "./credentials.js";
import { httpUrl } from "./http-url.js";

export const NOTIFY_FORMATS = ["webhook", "slack", "grafana"] as const;

/** What a notifier may be told, derived from the run's journal events. */
export const NOTIFY_EVENTS = [
  "run.started",
  "fault.injected",
  "fault.reverted",
  "expectation.failed",
  "aborted",
  "verdict",
] as const;

/** A notifier's name, as a game day's `spec.notify` selects it. */
export const notifierName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
  error: "expected a notifier name of lowercase letters, digits and dashes (at most 63)",
});

/**
 * One receiver of a target's run events. Only the targets file names receivers (it is the only
 * source of reach); a game day may only select them by name. A URL carrying a token (Slack's
 * always does) comes from a file or a variable, so it is masked like any secret.
 */
export const notifierSchema = z
  .strictObject({
    format: z
      .enum(NOTIFY_FORMATS)
      .describe(
        "webhook: signed JSON events; slack: an incoming-webhook message; grafana: an annotation per fault window",
      ),
    url: z
      .union([httpUrl, credentialSourceSchema])
      .describe(
        "the receiver: an http(s) URL, or { file } / { env } holding it when it carries a token (grafana: the Grafana base URL)",
      ),
    secret: credentialSourceSchema
      .optional()
      .describe("webhook: the HMAC-SHA256 key that signs each body (X-Gameday-Signature)"),
    token: credentialSourceSchema.optional().describe("grafana: the service-account token (Bearer)"),
    events: z
      .array(z.enum(NOTIFY_EVENTS))
      .min(1)
      .max(NOTIFY_EVENTS.length)
      .optional()
      .describe("webhook and slack: the events to send (default: all); grafana annotates every fault window"),
    tags: z
      .array(z.string().min(1).max(100))
      .max(20)
      .default([])
      .describe("grafana: tags added to every annotation"),
    dashboardUID: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/, { error: "expected a dashboard UID (letters, digits, _ and -)" })
      .optional()
      .describe("grafana: the dashboard the annotations belong to (default: organisation-wide)"),
  })
  .superRefine((n, ctx) => {
    const only = (field: "secret" | "token" | "tags" | "dashboardUID", format: string) => {
      const value = n[field];
      const set = Array.isArray(value) ? value.length > 0 : value !== undefined;
      if (set && n.format !== format)
        ctx.addIssue({ code: "custom", path: [field], message: `${field} is for format ${format} only` });
    };
    only("secret", "webhook");
    only("token", "grafana");
    only("tags", "grafana");
    only("dashboardUID", "grafana");
    // Grafana's annotations are fault windows, not events: a filter there would be silently ignored.
    if (n.format === "grafana" && n.events !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["events"],
        message: "events is for formats webhook and slack only: grafana always annotates every fault window",
      });
    if (n.format === "slack" && typeof n.url === "string")
      ctx.addIssue({
        code: "custom",
        path: ["url"],
        message:
          "a Slack incoming-webhook URL carries its token: give it as url: { file: path } or { env: NAME }, never inline",
      });
  })
  .describe("a receiver of run events");

export type NotifierConfig = z.infer<typeof notifierSchema>;
export type NotifyFormat = (typeof NOTIFY_FORMATS)[number];
export type NotifyEventName = (typeof NOTIFY_EVENTS)[number];
