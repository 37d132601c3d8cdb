import { describe, expect, it } from "vitest";
import { recoverSummary } from "../../src/cli/commands/recover-command.js";
import { countOutcomes, sweepOrphans } from "../../src/faults/orphan-sweep.js";
import { parseOwnerTag } from "../../src/faults/owner-tag.js";
import { ownerTag } from "../../src/interfaces/injector.js";
import { FakeInjector, FakeTarget } from "./fake-injector.js";

const ME = "mine";

function world() {
  const target = new FakeTarget();
  for (const tag of [
    "gameday@mine.dead.f1", // an orphan of this installation
    "gameday@mine.live.f1", // a run in progress here
    "gameday@theirs.dead.f1", // another installation's
    "gameday.legacy.f1", // written before installation ids
  ])
    target.faults.set(tag, { fault: "f1", value: "v" });
  return { target, sources: [{ target: "t", injector: new FakeInjector(target) }] };
}

describe("owner tags", () => {
  it("carry the installation, and old tags (run ids with dots too) still parse", () => {
    expect(ownerTag("r1", "slow", "ci-a")).toBe("gameday@ci-a.r1.slow");
    expect(parseOwnerTag("gameday@ci-a.r1.slow")).toEqual({
      installation: "ci-a",
      runId: "r1",
      fault: "slow",
    });
    expect(parseOwnerTag("gameday.2026.11.22-a1b2.slow")).toEqual({
      installation: undefined,
      runId: "2026.11.22-a1b2",
      fault: "slow",
    });
    expect(parseOwnerTag("gameday@Bad_Id.r.f")).toBeUndefined();
    expect(parseOwnerTag("gameday.x")).toBeUndefined();
    expect(parseOwnerTag("gamedayx.r.f")).toBeUndefined();
  });
});

describe("the one orphan sweep", () => {
  it("skips live runs and other installations, reverts the rest (legacy tags included)", async () => {
    const { target, sources } = world();
    const report = await sweepOrphans(sources, {
      installation: ME,
      live: new Map([["live", "lock, pid 1"]]),
    });
    expect(countOutcomes(report)).toEqual({ reverted: 2, "would-revert": 0, live: 1, foreign: 1, failed: 0 });
    expect(target.tags()).toEqual(["gameday@mine.live.f1", "gameday@theirs.dead.f1"]);
    expect(report.entries.find((e) => e.outcome === "live")?.detail).toContain("--force");
    expect(recoverSummary(report, false)).toBe(
      "2 of 2 orphaned faults reverted; 2 skipped (1 of live runs, 1 of other installations)",
    );
  });

  it("--force reverts a live run too, but never another installation's", async () => {
    const { target, sources } = world();
    await sweepOrphans(sources, { installation: ME, live: new Map([["live", "x"]]), force: true });
    expect(target.tags()).toEqual(["gameday@theirs.dead.f1"]);
  });

  it("a dry run touches nothing and says would, never reverted", async () => {
    const { target, sources } = world();
    const before = target.tags();
    const report = await sweepOrphans(sources, { installation: ME, dryRun: true });
    expect(target.tags()).toEqual(before);
    const text = recoverSummary(report, true);
    expect(text).toBe(
      "dry run: 3 orphaned faults would be reverted; 1 skipped (0 of live runs, 1 of other installations); nothing touched",
    );
    expect(text).not.toMatch(/\d+ of \d+ orphaned faults reverted/);
  });

  it("only the given runs (rollback, janitor)", async () => {
    const { target, sources } = world();
    await sweepOrphans(sources, { installation: ME, runIds: ["dead"] });
    expect(target.tags()).toEqual(["gameday.legacy.f1", "gameday@mine.live.f1", "gameday@theirs.dead.f1"]);
  });

  it("a source that cannot be listed, or a revert that fails, does not stop the others", async () => {
    const { target, sources } = world();
    const broken = new FakeInjector(new FakeTarget());
    broken.findOrphans = async () => {
      throw new Error("connection refused");
    };
    target.failRevert.add("gameday@mine.dead.f1");
    const report = await sweepOrphans([{ target: "down", injector: broken }, ...sources], {
      installation: ME,
    });
    expect(report.unlisted).toEqual([{ target: "down", family: "toxiproxy", error: "connection refused" }]);
    expect(countOutcomes(report).failed).toBe(1);
    expect(target.tags()).not.toContain("gameday.legacy.f1");
  });
});
