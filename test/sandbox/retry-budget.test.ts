import { describe, expect, it } from "vitest";
import { RetryBudget } from "../../sandbox-services/lib/retry-budget.js";

function budget(policy = { ratio: 0.5, minRetries: 10, windowMs: 10_000 }) {
  let now = 1_000_000;
  const b = new RetryBudget(policy, () => now);
  return { b, advance: (ms: number) => (now += ms) };
}

describe("retry budget", () => {
  it("always allows the floor of retries per window, even with little traffic", () => {
    const { b } = budget();
    b.recordRequest();
    const granted = Array.from({ length: 15 }, () => b.tryAcquireRetry()).filter(Boolean).length;
    expect(granted).toBe(10);
  });

  it("above the floor allows retries up to ratio * requests of the window", () => {
    const { b } = budget();
    for (let i = 0; i < 100; i++) b.recordRequest();
    const granted = Array.from({ length: 100 }, () => b.tryAcquireRetry()).filter(Boolean).length;
    expect(granted).toBe(50);
    expect(b.snapshot()).toEqual({ requests: 100, retries: 50 });
  });

  it("frees the budget as the window slides", () => {
    const { b, advance } = budget();
    for (let i = 0; i < 40; i++) b.recordRequest();
    for (let i = 0; i < 20; i++) expect(b.tryAcquireRetry()).toBe(true);
    expect(b.tryAcquireRetry()).toBe(false);
    advance(5_000);
    for (let i = 0; i < 40; i++) b.recordRequest();
    // 80 requests in the window now allow 40 retries; 20 are spent.
    expect(Array.from({ length: 30 }, () => b.tryAcquireRetry()).filter(Boolean).length).toBe(20);
    advance(5_001); // the first 40 requests and 20 retries leave the window
    expect(b.snapshot()).toEqual({ requests: 40, retries: 20 });
    expect(b.tryAcquireRetry()).toBe(false);
  });

  it("with ratio 0 and no floor never retries", () => {
    const { b } = budget({ ratio: 0, minRetries: 0, windowMs: 10_000 });
    b.recordRequest();
    expect(b.tryAcquireRetry()).toBe(false);
  });
});
