import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { LoadSpec } from "../experiment/schema.js";
import { LoadStatistics } from "./load-statistics.js";

/**
 * Open-loop load at a fixed rate: requests are sent on schedule whether or not earlier ones
 * answered, so a slow dependency shows up as latency and errors instead of silently lowering
 * the rate. Bounded: it stops at stop() or at maxDurationMs, whichever comes first.
 */
export class LoadGenerator {
  readonly stats = new LoadStatistics();
  // node:http rather than undici: at 200 rps it keeps the runner's RSS near half (bench section 5).
  private readonly agent: HttpAgent;
  private readonly url: URL;
  private readonly request: typeof httpRequest;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private sent = 0;
  private startedAt = 0;
  private rate: number;
  /** Where the schedule counts from: moved when the rate changes, so no burst catches up. */
  private base = { at: 0, sent: 0 };
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly spec: LoadSpec,
    private readonly maxDurationMs: number,
  ) {
    this.rate = spec.rate;
    this.url = new URL(spec.url);
    const https = this.url.protocol === "https:";
    this.request = https ? httpsRequest : httpRequest;
    const Agent = https ? HttpsAgent : HttpAgent;
    this.agent = new Agent({ keepAlive: true, maxSockets: spec.maxInFlight, timeout: spec.timeout });
  }

  start(): void {
    if (this.timer) return;
    this.startedAt = Date.now();
    this.base = { at: this.startedAt, sent: 0 };
    const tickMs = 10;
    this.timer = setInterval(() => this.tick(), tickMs);
  }

  private tick(): void {
    const elapsed = Date.now() - this.startedAt;
    if (elapsed >= this.maxDurationMs) {
      void this.stop();
      return;
    }
    const due = this.base.sent + Math.floor(((Date.now() - this.base.at) / 1000) * this.rate) + 1;
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
    const ok = await this.send();
    this.inFlight--;
    this.stats.record(Date.now(), performance.now() - t0, ok);
  }

  /** One request; resolves true for a status below 400 within the timeout, never rejects. */
  private send(): Promise<boolean> {
    return new Promise((resolve) => {
      const req = this.request(
        this.url,
        { method: this.spec.method, headers: this.spec.headers, agent: this.agent },
        (res) => {
          res.resume();
          res.once("end", () => resolve((res.statusCode ?? 599) < 400));
          res.once("error", () => resolve(false));
        },
      );
      const timer = setTimeout(() => req.destroy(new Error("timeout")), this.spec.timeout);
      req.once("error", () => resolve(false));
      req.once("close", () => clearTimeout(timer));
      req.end(this.spec.body);
    });
  }

  /** Changes the rate from now on (an incident drill's "shed load"); the open-loop schedule continues from here. */
  scaleRate(factor: number): number {
    this.base = { at: Date.now(), sent: this.sent };
    this.rate = Math.max(0.1, this.rate * factor);
    return this.rate;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.pending]);
    this.agent.destroy();
  }
}
