import { describe, expect, it } from "vitest";
import type { ExpectationResult } from "../../src/interfaces/expectation.js";
import type { RunResult } from "../../src/run/run-result.js";
import { combinedExitCode, decideVerdict } from "../../src/run/verdict.js";

const exp = (status: "passed" | "failed"): ExpectationResult => ({
  name: `e-${status}`,
  semantics: "always",
  status,
  summary: "observed 0.2",
  samples: [],
});
const steady = (ok: boolean) => ({ name: "s", ok, summary: "x", samples: [] });

describe("decideVerdict follows the exit codes and precedence of docs/design.md", () => {
  it("0 passed, 1 failed, 3 aborted, 4 not run, 5 error", () => {
    expect(
      decideVerdict({
        remaining: [],
        steadyBefore: [steady(true)],
        expectations: [exp("passed")],
        recovery: [steady(true)],
      }).exitCode,
    ).toBe(0);
    expect(
      decideVerdict({ remaining: [], steadyBefore: [steady(true)], expectations: [exp("failed")] }).exitCode,
    ).toBe(1);
    expect(
      decideVerdict({
        remaining: [],
        steadyBefore: [steady(true)],
        expectations: [exp("passed")],
        recovery: [steady(false)],
      }).exitCode,
    ).toBe(1);
    expect(
      decideVerdict({ remaining: [], aborted: { reason: "x", by: "signal" }, expectations: [] }).exitCode,
    ).toBe(3);
    expect(decideVerdict({ remaining: [], steadyBefore: [steady(false)], expectations: [] }).exitCode).toBe(
      4,
    );
    expect(
      decideVerdict({ remaining: [], error: { message: "boom", exitCode: 5 }, expectations: [] }).exitCode,
    ).toBe(5);
  });

  it("an unverified rollback outranks everything and says what may remain", () => {
    const v = decideVerdict({
      remaining: ["toxic gameday.r.f on payments"],
      aborted: { reason: "x", by: "signal" },
      expectations: [exp("failed")],
    });
    expect(v.exitCode).toBe(5);
    expect(v.reason).toContain("gameday.r.f");
  });

  it("a failure names the expectation and its observed values", () => {
    const v = decideVerdict({
      remaining: [],
      steadyBefore: [steady(true)],
      expectations: [exp("passed"), exp("failed")],
    });
    expect(v.reason).toContain('"e-failed"');
    expect(v.reason).toContain("observed 0.2");
  });
});

describe("combinedExitCode: a suite exits with its worst run's code", () => {
  const runs = (...codes: number[]) => codes.map((exitCode) => ({ exitCode }) as RunResult);
  it("orders 5, 2, 3, 4, 1, 0, and an invalid run never reads as passed", () => {
    expect(combinedExitCode(runs(0, 1, 4, 3, 2, 5))).toBe(5);
    expect(combinedExitCode(runs(0, 2, 1))).toBe(2);
    expect(combinedExitCode(runs(0, 1, 4))).toBe(4);
    expect(combinedExitCode(runs(0, 0))).toBe(0);
  });
});
