import { createHmac } from "node:crypto";
import type { OutboundRequest, QueuedRequest } from "./delivery.js";
import { NotifierReporter } from "./notifier-reporter.js";
import type { NotifyEvent, WebhookBody } from "./notify-event.js";

/** `sha256=<hex>`: the HMAC-SHA256 of the exact body bytes under the shared key. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * Each event as one JSON body (notifyEventSchema), signed when the target gives a secret:
 * X-Gameday-Signature over the raw body, X-Gameday-Timestamp (the send time in epoch seconds: when
 * the request is first sent, not when the event was queued; also the signed body's sentAt, so a
 * receiver can refuse old replays), X-Gameday-Event and X-Gameday-Delivery (the event id). A retry
 * resends the same bytes: the same signature, timestamp and id.
 */
export class WebhookReporter extends NotifierReporter {
  protected requests(event: NotifyEvent): QueuedRequest[] {
    if (!this.wants(event)) return [];
    return [() => this.build(event)];
  }

  /** Called by the delivery queue when this request's turn comes, so `now` is the send time. */
  private build(event: NotifyEvent): OutboundRequest {
    // The timestamp is inside the signed body too (sentAt), so a replay cannot freshen it.
    const now = Math.floor(Date.now() / 1000);
    const sent: WebhookBody = { ...event, sentAt: new Date(now * 1000).toISOString() };
    const body = JSON.stringify(sent);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "gameday",
      "x-gameday-event": event.event,
      "x-gameday-delivery": event.id,
      "x-gameday-timestamp": String(now),
    };
    if (this.opts.secret) headers["x-gameday-signature"] = signBody(this.opts.secret, body);
    return { url: this.opts.url, headers, body };
  }
}
