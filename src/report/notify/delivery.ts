import type { DeliveryPolicy } from "../../interfaces/notifier.js";
import { redact } from "../../redact/redact.js";

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  attempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 2000,
  timeoutMs: 3000,
  deadlineMs: 10_000,
  queueMax: 200,
  flushMs: 2000,
};

/** One POST, built once: a retry sends the very same bytes (the signature and the event id hold). */
export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What a notifier delivered in one run; tests and the one log line read it. */
export interface DeliveryReport {
  delivered: number;
  failed: number;
  /** Dropped from a full queue, or still queued when the flush ran out. */
  abandoned: number;
  attempts: number;
  /** The first failure's reason (redacted). */
  firstError?: string | undefined;
}

/**
 * A request to be built when it is first sent (so what it stamps is the send time); a retry
 * resends the bytes built then.
 */
export type QueuedRequest = OutboundRequest | (() => OutboundRequest);

/** One delivery that did not succeed; retryable when the receiver may take it later. */
export class Undeliverable extends Error {
  readonly code = "E_UNDELIVERABLE";
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "Undeliverable";
  }
}

/** Only where it goes, never its path or query (a webhook path often is the token). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(an invalid URL)";
  }
}

function causeOf(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError") return "timed out";
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e.message ?? "failed"}: ${cause}` : String(e?.message ?? err);
}

/**
 * Delivers one notifier's requests in order, off the run's path: a bounded queue, retries with
 * exponential backoff and jitter within a total bound, a timeout per request, and a flush at the
 * run's end that waits a bounded time and then gives up. It never throws, and an unreachable
 * receiver costs one log line per run, however many events it misses.
 */
export class Delivery {
  private readonly policy: DeliveryPolicy;
  private readonly queue: QueuedRequest[] = [];
  private readonly stop = new AbortController();
  private pumping: Promise<void> | undefined;
  /** After one event failed every attempt, later events get one attempt each: the receiver is down. */
  private down = false;
  private logged = false;
  readonly report: DeliveryReport = { delivered: 0, failed: 0, abandoned: 0, attempts: 0 };

  constructor(
    private readonly name: string,
    private readonly log: (line: string) => void,
    policy: Partial<DeliveryPolicy> = {},
  ) {
    this.policy = { ...DEFAULT_DELIVERY_POLICY, ...policy };
  }

  enqueue(request: QueuedRequest): void {
    if (this.stop.signal.aborted) {
      this.report.abandoned++;
      return;
    }
    if (this.queue.length >= this.policy.queueMax) {
      this.queue.shift();
      this.report.abandoned++;
    }
    this.queue.push(request);
    this.pumping ??= this.pump().finally(() => {
      this.pumping = undefined;
    });
  }

  /** Waits for the queue to drain, at most flushMs; then abandons the rest and stops. */
  async flush(): Promise<DeliveryReport> {
    let timer: NodeJS.Timeout | undefined;
    const outOfTime = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.policy.flushMs);
    });
    await Promise.race([this.drained(), outOfTime]);
    clearTimeout(timer);
    if (this.queue.length || this.pumping) {
      const left = this.queue.length + (this.pumping ? 1 : 0);
      this.queue.length = 0;
      this.report.abandoned += left;
      this.stop.abort();
      await this.pumping;
      this.once(
        `${left} event(s) still undelivered to ${originOf(this.current ?? "")} after the ${this.policy.flushMs} ms flush`,
      );
    }
    this.stop.abort();
    return this.report;
  }

  private async drained(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  private current: string | undefined;

  private async pump(): Promise<void> {
    for (let queued = this.queue.shift(); queued; queued = this.queue.shift()) {
      if (this.stop.signal.aborted) return;
      let next: OutboundRequest;
      try {
        next = typeof queued === "function" ? queued() : queued;
      } catch (err) {
        // A payload that cannot be built is a bug here, never the run's problem.
        this.report.failed++;
        this.once(`could not build a notification: ${redact((err as Error).message)}`);
        continue;
      }
      this.current = next.url;
      try {
        await this.deliver(next);
        this.report.delivered++;
        this.down = false;
      } catch (err) {
        if (this.stop.signal.aborted) return; // counted by the flush
        this.report.failed++;
        this.down = true;
        const message = redact((err as Error).message);
        this.report.firstError ??= message;
        this.once(`cannot deliver to ${originOf(next.url)}: ${message}`);
      }
    }
  }

  private async deliver(request: OutboundRequest): Promise<void> {
    const { attempts, baseDelayMs, maxDelayMs, deadlineMs } = this.policy;
    const started = Date.now();
    const tries = this.down ? 1 : attempts;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(request);
      } catch (err) {
        const e = err instanceof Undeliverable ? err : new Undeliverable(causeOf(err), true);
        const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
        const delay = ceiling / 2 + Math.random() * (ceiling / 2);
        const last = attempt >= tries || !e.retryable || Date.now() - started + delay > deadlineMs;
        if (last || this.stop.signal.aborted)
          throw new Undeliverable(`${e.message} (${attempt} attempt${attempt === 1 ? "" : "s"})`, false);
        await this.sleep(delay);
      }
    }
  }

  private async send(request: OutboundRequest): Promise<void> {
    this.report.attempts++;
    const response = await fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      // A receiver is named by the targets file; a redirect would reach somewhere it does not name.
      redirect: "manual",
      signal: AbortSignal.any([this.stop.signal, AbortSignal.timeout(this.policy.timeoutMs)]),
    });
    // The answer is not read beyond its status; cancelling frees the connection.
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return;
    const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
    throw new Undeliverable(`HTTP ${response.status}`, retryable);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.stop.signal;
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    });
  }

  /** The one line per notifier per run. */
  private once(what: string): void {
    if (this.logged) return;
    this.logged = true;
    try {
      this.log(
        redact(`notify ${this.name}: ${what}; the run goes on without it (further failures are not logged)`),
      );
    } catch {
      // A broken log must not reach the run either.
    }
  }
}
