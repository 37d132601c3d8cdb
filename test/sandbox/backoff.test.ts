import { describe, expect, it } from "vitest";
import { type BackoffPolicy, backoffCeilingMs, backoffDelayMs } from "../../sandbox-services/lib/backoff.js";

const full: BackoffPolicy = { baseMs: 25, capMs: 400, jitter: "full" };
const none: BackoffPolicy = { ...full, jitter: "none" };

describe("exponential backoff", () => {
  it("doubles from the base and stops at the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((r) => backoffCeilingMs(r, full))).toEqual([
      25, 50, 100, 200, 400, 400, 400,
    ]);
  });

  it("without jitter sleeps exactly the ceiling (the `jitter` regression)", () => {
    expect([1, 2, 3].map((r) => backoffDelayMs(r, none, () => 0.99))).toEqual([25, 50, 100]);
  });

  it("with full jitter draws uniformly from [0, ceiling)", () => {
    expect(backoffDelayMs(3, full, () => 0)).toBe(0);
    expect(backoffDelayMs(3, full, () => 0.5)).toBe(50);
    const samples = Array.from({ length: 2000 }, () => backoffDelayMs(2, full));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(50);
    // Spread over the window, not bunched at one value: that is the whole point of jitter.
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(mean).toBeGreaterThan(20);
    expect(mean).toBeLessThan(30);
    expect(new Set(samples.map((s) => Math.floor(s / 5))).size).toBe(10);
  });

  it("refuses a retry number below 1", () => {
    expect(() => backoffDelayMs(0, full)).toThrow(RangeError);
  });
});
