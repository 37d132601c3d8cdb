import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { scratchFiles } from "../support/scratch-files.js";

/**
 * A halt in force refuses every way of injecting, not only `run`: prove (which applies mutants)
 * and drills (which inject a hidden scenario) exit 4 with the reason before anything starts.
 */
describe("gameday halt refuses prove and drills too", () => {
  it("prove and drill start exit 4 naming the halt, and create nothing", async () => {
    const stateDir = scratchFiles("gameday-halt-refuse-").dir;
    const halt = await runCli(["halt", "--reason", "change freeze 12", "--state-dir", stateDir]);
    expect(halt.code, halt.stderr).toBe(0);
    const prove = await runCli([
      "prove",
      "gamedays/demo.yaml",
      "--targets",
      "targets.yaml",
      "--state-dir",
      stateDir,
    ]);
    expect(prove.code, prove.stderr).toBe(4);
    expect(prove.stderr).toContain("change freeze 12");
    const drill = await runCli([
      "drill",
      "start",
      "drills/slow-payment-provider.yaml",
      "--targets",
      "targets.yaml",
      "--state-dir",
      stateDir,
    ]);
    expect(drill.code, drill.stderr).toBe(4);
    expect(drill.stderr).toContain("change freeze 12");
    for (const folder of ["prove", "drills", "runs"]) expect(existsSync(join(stateDir, folder))).toBe(false);
    expect(readdirSync(stateDir).sort()).toEqual(["halt.json"]);
  });
});
