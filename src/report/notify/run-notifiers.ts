import type { DeliveryPolicy, ResolvedNotifier } from "../../interfaces/notifier.js";
import type { JournalEvent } from "../../run/journal-schema.js";
import type { RunResult } from "../../run/run-result.js";
import { NOTIFIERS } from "../reporter-registry.js";
import type { NotifierReporter } from "./notifier-reporter.js";

/** One run's notifiers: events fan out to each, and the run's end flushes them all at once. */
export class RunNotifiers {
  readonly reporters: NotifierReporter[];

  constructor(
    resolved: readonly ResolvedNotifier[],
    log: (line: string) => void,
    policy?: Partial<DeliveryPolicy>,
  ) {
    this.reporters = resolved.map((r) => new NOTIFIERS[r.format]({ ...r, log, policy }));
  }

  /** For runExperiment's onEvent: only queues, never waits, never throws. */
  onEvent = (event: JournalEvent): void => {
    for (const r of this.reporters) r.onEvent(event);
  };

  /** In parallel, so the run's end waits one flush bound, not one per notifier. */
  async onRunEnd(_result?: RunResult): Promise<void> {
    await Promise.all(this.reporters.map((r) => r.onRunEnd().catch(() => undefined)));
  }

  get empty(): boolean {
    return this.reporters.length === 0;
  }
}

/** Both listeners as one (the console's or the progress publisher's, and the notifiers'). */
export function bothListeners(
  first: ((e: JournalEvent) => void) | undefined,
  notifiers: RunNotifiers,
): ((e: JournalEvent) => void) | undefined {
  if (notifiers.empty) return first;
  if (!first) return notifiers.onEvent;
  return (e) => {
    // The notifiers hear every event even when the first listener throws (which still propagates).
    try {
      first(e);
    } finally {
      notifiers.onEvent(e);
    }
  };
}
