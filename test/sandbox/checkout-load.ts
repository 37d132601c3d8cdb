import { setTimeout as sleep } from "node:timers/promises";

export interface CheckoutLoad {
  /** Status code -> count (0 for a connection failure). */
  statuses: Record<number, number>;
  /** How many 200s carried the orders fallback ("payment":"pending"). */
  fallbacks: number;
  stop(): Promise<void>;
}

/**
 * A small closed-loop load on /checkout: `workers` in parallel, each pausing `pauseMs` between
 * requests, bounded by `maxRequests` and `maxMs` so it always stops by itself.
 */
export function startCheckoutLoad(
  url: string,
  opts: { workers?: number; pauseMs?: number; maxRequests?: number; maxMs?: number } = {},
): CheckoutLoad {
  const { workers = 4, pauseMs = 20, maxRequests = 3000, maxMs = 40_000 } = opts;
  const deadline = Date.now() + maxMs;
  const load: CheckoutLoad = { statuses: {}, fallbacks: 0, stop: async () => {} };
  let stopped = false;
  let sent = 0;
  const worker = async () => {
    while (!stopped && sent < maxRequests && Date.now() < deadline) {
      sent++;
      let status = 0;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
        status = res.status;
        if ((await res.text()).includes('"payment":"pending"')) load.fallbacks++;
      } catch {}
      load.statuses[status] = (load.statuses[status] ?? 0) + 1;
      await sleep(pauseMs);
    }
  };
  const running = Promise.all(Array.from({ length: workers }, worker));
  load.stop = async () => {
    stopped = true;
    await running;
  };
  return load;
}

/** Sends `n` sequential requests and returns their status codes. */
export async function checkoutTimes(url: string, n: number): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await res.text();
    codes.push(res.status);
  }
  return codes;
}
