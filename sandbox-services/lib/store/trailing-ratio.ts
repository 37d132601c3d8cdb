/**
 * The share of hits over a trailing window, in one-second buckets: a gauge that moves within
 * seconds of a change (a counter's rate needs two scrapes and a PromQL window to show the same).
 */
export class TrailingRatio {
  private readonly hits: number[];
  private readonly totals: number[];
  private lastSecond: number;

  constructor(
    private readonly windowSeconds = 10,
    private readonly now: () => number = Date.now,
  ) {
    this.hits = new Array<number>(windowSeconds).fill(0);
    this.totals = new Array<number>(windowSeconds).fill(0);
    this.lastSecond = Math.floor(now() / 1000);
  }

  record(hit: boolean): void {
    const i = this.advance();
    this.totals[i] = (this.totals[i] ?? 0) + 1;
    if (hit) this.hits[i] = (this.hits[i] ?? 0) + 1;
  }

  /** Hits / lookups in the window; 1 when there was no lookup (no evidence of a miss). */
  ratio(): number {
    this.advance();
    const total = this.totals.reduce((a, b) => a + b, 0);
    return total === 0 ? 1 : this.hits.reduce((a, b) => a + b, 0) / total;
  }

  /** Zeroes the buckets of the seconds that passed since the last call; returns this second's. */
  private advance(): number {
    const second = Math.floor(this.now() / 1000);
    const passed = Math.min(second - this.lastSecond, this.windowSeconds);
    for (let s = 1; s <= passed; s++) {
      const i = (this.lastSecond + s) % this.windowSeconds;
      this.hits[i] = 0;
      this.totals[i] = 0;
    }
    if (second > this.lastSecond) this.lastSecond = second;
    return second % this.windowSeconds;
  }
}
