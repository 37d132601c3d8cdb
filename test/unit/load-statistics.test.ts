import { describe, expect, it } from "vitest";
import { LoadStatistics } from "../../src/load/load-statistics.js";

describe("LoadStatistics", () => {
  it("computes ratios, percentiles and throughput over a window", () => {
    const s = new LoadStatistics();
    for (let i = 0; i < 100; i++) s.record(1000 + i * 10, i + 1, i % 10 !== 0);
    const w = { start: 1000, end: 1990 };
    expect(s.metric("requests", w)).toBe(100);
    expect(s.metric("errorRatio", w)).toBeCloseTo(0.1);
    expect(s.metric("successRatio", w)).toBeCloseTo(0.9);
    expect(s.metric("p50", w)).toBe(50);
    expect(s.metric("p95", w)).toBe(95);
    expect(s.metric("p99", w)).toBe(99);
    expect(s.metric("throughput", w)).toBeCloseTo(90 / 0.99, 1);
    expect(s.metric("errorRatio", { start: 5000, end: 6000 })).toBeUndefined();
  });
});
