import type { NotifierConfig, NotifyEventName } from "../targets/notify-schema.js";

/** How hard one notifier tries: a few attempts within a total bound, and a bounded flush at the run's end. */
export interface DeliveryPolicy {
  /** Tries per event, the first included. */
  attempts: number;
  /** Backoff before retry n is about baseDelayMs * 2^(n-1), jittered, at most maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** One request's bound. */
  timeoutMs: number;
  /** No retry starts after this long since the event's first try. */
  deadlineMs: number;
  /** Events waiting at most; the oldest waiting one is dropped beyond it. */
  queueMax: number;
  /** The run's end waits at most this long for what is still queued. */
  flushMs: number;
}

/** A notifier as the targets file configures it (NotifierConfig), with its secrets read (and registered for redaction). */
export type ResolvedNotifier = Pick<NotifierConfig, "format" | "tags" | "dashboardUID"> & {
  name: string;
  url: string;
  /** webhook: the HMAC key. */
  secret?: string | undefined;
  /** grafana: the Bearer token. */
  token?: string | undefined;
  events: readonly NotifyEventName[];
};

export type NotifierOptions = ResolvedNotifier & {
  /** Where the one line about an unreachable receiver goes (redacted before it is written). */
  log: (line: string) => void;
  policy?: Partial<DeliveryPolicy> | undefined;
};
