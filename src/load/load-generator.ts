import { Agent, request } from "undici";
import type { LoadSpec } from "../experiment/schema.js";
import { LoadStatistics } from "./load-statistics.js";

/**
 * Open-loop load at a fixed rate: requests are sent on schedule whether or not earlier ones
 * answered, so a slow dependency shows up as latency and errors instead of silently lowering
 * the rate. Bounded: it stops at stop() or at maxDurationMs, whichever comes first.
 */
export class LoadGenerator {
  readonly stats = new LoadStatistics();
  private readonly agent: Agent;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private sent = 0;
  private startedAt = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly spec: LoadSpec,
    private readonly maxDurationMs: number,
  ) {
    this.agent = new Agent({ connections: spec.maxInFlight, keepAliveTimeout: 4_000 });
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.timer) return;
    this.startedAt = Date.now();
    const tickMs = 10;
    this.timer = setInterval(() => this.tick(), tickMs);
  }

  private tick(): void {
    const elapsed = Date.now() - this.startedAt;
    if (elapsed >= this.maxDurationMs) {
      void this.stop();
      return;
    }
    const due = Math.floor((elapsed / 1000) * this.spec.rate) + 1;
    while (this.sent < due) {
      this.sent++;
      if (this.inFlight >= this.spec.maxInFlight) {
        // Shedding on the client side is an error the user must see, not a silent slowdown.
        this.stats.record(Date.now(), 0, false);
        continue;
      }
      const p = this.fire();
      this.pending.add(p);
      void p.finally(() => this.pending.delete(p));
    }
  }

  private async fire(): Promise<void> {
    this.inFlight++;
    const t0 = performance.now();
    let ok = false;
    try {
      const res = await request(this.spec.url, {
        method: this.spec.method,
        headers: this.spec.headers,
        body: this.spec.body,
        dispatcher: this.agent,
        headersTimeout: this.spec.timeout,
        bodyTimeout: this.spec.timeout,
        signal: AbortSignal.timeout(this.spec.timeout),
      });
      await res.body.dump();
      ok = res.statusCode < 400;
    } catch {
      ok = false;
    } finally {
      this.inFlight--;
      this.stats.record(Date.now(), performance.now() - t0, ok);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.pending]);
    await this.agent.close().catch(() => undefined);
  }
}
