import type { NotifierOptions } from "../../interfaces/notifier.js";
import type { Reporter } from "../../interfaces/reporter.js";
import { redact } from "../../redact/redact.js";
import type { JournalEvent } from "../../run/journal-schema.js";
import { Delivery, type DeliveryReport, type QueuedRequest } from "./delivery.js";
import { type NotifyEvent, NotifyEventMapper } from "./notify-event.js";

/**
 * What the three notifiers share: journal events in, notify events out, through one delivery
 * queue. onEvent only queues (the run never waits for a receiver); onRunEnd is the bounded flush.
 * One instance per run.
 */
export abstract class NotifierReporter implements Reporter {
  protected readonly delivery: Delivery;
  private readonly mapper = new NotifyEventMapper();

  constructor(protected readonly opts: NotifierOptions) {
    this.delivery = new Delivery(opts.name, opts.log, opts.policy);
  }

  onEvent(e: JournalEvent): void {
    try {
      const event = this.mapper.map(e);
      if (!event) return;
      for (const request of this.requests(event)) this.delivery.enqueue(request);
    } catch (err) {
      // A payload that cannot be built is a bug here, never the run's problem.
      // Redacted: the message may quote the event, which may carry a secret.
      this.opts.log(
        redact(`notify ${this.opts.name}: could not build a notification: ${(err as Error).message}`),
      );
    }
  }

  async onRunEnd(): Promise<void> {
    await this.delivery.flush();
  }

  /** What this run's delivery did (for tests and callers that want the figures). */
  get report(): DeliveryReport {
    return this.delivery.report;
  }

  protected wants(event: NotifyEvent): boolean {
    return this.opts.events.includes(event.event);
  }

  /** The POSTs one event makes: none, one, or (Grafana at the verdict) one per open window. */
  protected abstract requests(event: NotifyEvent): QueuedRequest[];
}
