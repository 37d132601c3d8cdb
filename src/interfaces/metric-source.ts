/** A closed time window in epoch milliseconds. */
export interface TimeWindow {
  start: number;
  end: number;
}

/**
 * A probe yields one number for a window: PromQL evaluated at window.end, a scrape taken now,
 * or the load generator's statistics over the window. undefined means "no data yet".
 */
export interface Probe {
  readonly description: string;
  sample(window: TimeWindow): Promise<number | undefined>;
}

/** A monotonic counter read at a point in time; built-in checks derive rates from two readings. */
export interface CounterReader {
  readonly description: string;
  readAt(time: number): Promise<number | undefined>;
}
