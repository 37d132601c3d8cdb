import { describe, expect, it } from "vitest";
import { suiteStopped } from "../../src/experiment/expand-game-days.js";

const suite = (continueOnFailure: boolean) => ({
  name: "monthly",
  file: "/g/monthly.yaml",
  continueOnFailure,
});
const member = (continueOnFailure: boolean) =>
  ({ file: "/g/b.yaml", suite: suite(continueOnFailure) }) as Parameters<typeof suiteStopped>[0];

describe("run --fail-fast", () => {
  const failed = [{ suite: suite(true), exitCode: 1 }];
  it("a continueOnFailure game day goes on after a failed member unless --fail-fast", () => {
    expect(suiteStopped(member(true), failed)).toBe(false);
    expect(suiteStopped(member(true), failed, true)).toBe(true);
  });
  it("a passing member never stops the game day, with or without --fail-fast", () => {
    expect(suiteStopped(member(true), [{ suite: suite(true), exitCode: 0 }], true)).toBe(false);
  });
  it("a file outside any game day is never stopped", () => {
    expect(suiteStopped({ file: "/x.yaml" } as Parameters<typeof suiteStopped>[0], failed, true)).toBe(false);
  });
});
