import { readdirSync, readFileSync } from "node:fs";
import { join, matchesGlob, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultPorts } from "../../src/sandbox/sandbox-layout.js";
import { ACTION_STEPS_DELTA, DEMO_LANE, DEMO_LANE_OFFSET, SANDBOX_LANE } from "../lanes.js";
import { REPO } from "../support/cli.js";

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith(".test.ts") ? [join(dir, e.name)] : [],
  );
}

const inSandboxLane = (file: string) =>
  [...SANDBOX_LANE, ...DEMO_LANE].some((glob) => matchesGlob(file, glob));

/** What marks a file as a user of the shared stack on its default ports (test/support/sandbox.ts). */
const SHARED_STACK = [/support\/sandbox\.js/, /sandboxUp\(/, /SANDBOX_STATE_DIR/];

describe("test lanes (test/lanes.ts): the isolated lane never touches the shared sandbox", () => {
  // (this file names the markers itself)
  const users = testFiles(join(REPO, "test"))
    .map((f) => relative(REPO, f))
    .filter((f) => f !== "test/unit/test-lanes.test.ts")
    .filter((f) => SHARED_STACK.some((re) => re.test(readFileSync(join(REPO, f), "utf8"))));

  it("every file that uses the shared sandbox stack is in the sandbox lane", () => {
    expect(users.filter((f) => !inSandboxLane(f))).toEqual([]);
  });

  it("the check sees a stray (this file's own marker list finds the sandbox lane's files)", () => {
    expect(users).toContain("test/demo/demo-game-day.test.ts");
    expect(users.every(inSandboxLane)).toBe(true);
    expect(inSandboxLane("test/queue/queue-worker.test.ts")).toBe(false);
  });
});

describe("test lanes' port offsets", () => {
  it("keep every sandbox port below the ephemeral range, with room for two prove instances", () => {
    const highest = (offset: number) => {
      const p = defaultPorts(offset);
      return Math.max(...Object.values(p.services), ...Object.values(p.proxies), p.toxiproxy, p.prometheus);
    };
    // prove --parallel runs instances 100 ports apart above the lane's offset.
    for (const offset of [0, DEMO_LANE_OFFSET, DEMO_LANE_OFFSET + ACTION_STEPS_DELTA + 200])
      expect(highest(offset)).toBeLessThan(32_768);
    expect(highest(DEMO_LANE_OFFSET + 800)).toBeGreaterThanOrEqual(32_768); // the check can fail
  });
});
