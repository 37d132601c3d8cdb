import { readdirSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { REPO, runCli } from "../support/cli.js";
import { leftovers } from "../support/experiment-files.js";
import { ensureSandbox } from "../support/sandbox.js";

const gameDay = ["gamedays/demo.yaml"];
const experiments = readdirSync(`${REPO}experiments`).filter((f) => f.endsWith(".yaml")).length;

/**
 * The demo game day as a CI gate: green against the healthy stack, and red, naming the right
 * expectation with observed values, once a countermeasure is switched off.
 */
describe("the demo game day catches each removed countermeasure", () => {
  afterAll(async () => {
    await ensureSandbox([]);
  });

  it("passes against the healthy stack", async () => {
    await ensureSandbox([]);
    const res = await runCli(["run", ...gameDay, "--targets", "targets.yaml", "--state-dir", ".gameday"], {
      timeoutMs: 300_000,
    });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain(`${experiments}/${experiments} experiments passed`);
    expect(await leftovers()).toEqual([]);
  });

  const cases = [
    { brk: "breaker", caught: ['"orders opens its breaker to payments" failed', "observed min 0, max 0"] },
    { brk: "jitter", caught: ['"retry backoff is jittered" failed', "observed min 0, max 0"] },
    {
      brk: "timeout",
      caught: ['"checkout p95 stays under 500 ms" failed', '"orders opens its breaker to payments" failed'],
    },
  ] as const;
  for (const { brk, caught } of cases) {
    it(`--break ${brk}: exits 1 and names the expectation that caught it`, async () => {
      await ensureSandbox([brk]);
      const res = await runCli(["run", ...gameDay, "--targets", "targets.yaml", "--state-dir", ".gameday"], {
        timeoutMs: 300_000,
      });
      expect(res.code, res.stderr).toBe(1);
      for (const text of caught) expect(res.stderr).toContain(text);
      expect(await leftovers()).toEqual([]);
    });
  }
});
