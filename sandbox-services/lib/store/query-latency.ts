/**
 * The latency of one simulated query: a fixed base plus a log-normal tail, as measured database
 * latencies look (most queries near the median, a long right tail). Defaults: base 1 ms, median
 * tail 1.5 ms, sigma 0.8: p50 ~2.5 ms, p99 ~11 ms. Capped, so one unlucky draw cannot stall.
 */
export interface QueryLatencyPolicy {
  baseMs: number;
  tailMedianMs: number;
  tailSigma: number;
  capMs: number;
}

/** A standard normal draw (Box-Muller). */
function normal(random: () => number): number {
  const u = 1 - random(); // (0, 1]: log(0) is -Infinity
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export function queryLatencyMs(p: QueryLatencyPolicy, random: () => number = Math.random): number {
  const tail = p.tailMedianMs > 0 ? p.tailMedianMs * Math.exp(p.tailSigma * normal(random)) : 0;
  return Math.min(p.baseMs + tail, p.capMs);
}
