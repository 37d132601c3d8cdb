import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/errors/gameday-error.js";
import { loadProvePlan } from "../../src/prove/prove-plan.js";
import { REPO, runCli } from "../support/cli.js";

const fixture = join(REPO, "test/prove/fixtures/breaker-opens.yaml");

function files(mutants: string, mutableEnv = "[SANDBOX_BREAK]") {
  const dir = mkdtempSync(join(tmpdir(), "prove-plan-"));
  const gameday = join(dir, "g.yaml");
  // Game-day members must stay inside the game day's folder: the experiment goes beside it.
  const experiment = join(dir, "breaker-opens.yaml");
  copyFileSync(fixture, experiment);
  writeFileSync(
    gameday,
    `apiVersion: gameday/v1\nkind: GameDay\nmetadata: { name: g }\nspec:\n  experiments: [${experiment}]\n  mutants:\n${mutants}`,
  );
  const targets = join(dir, "targets.yaml");
  writeFileSync(
    targets,
    `apiVersion: gameday/v1\nkind: Targets\ntargets:\n  sandbox:\n    vars: { GATEWAY_URL: "http://127.0.0.1:1" }\n    scrape: { gateway: "http://127.0.0.1:1/metrics" }\n    mutableEnv: ${mutableEnv}\n`,
  );
  return { gameday, targets };
}

async function issues(mutants: string, mutableEnv?: string) {
  const f = files(mutants, mutableEnv);
  try {
    await loadProvePlan(f.gameday, f.targets);
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => `${i.line}:${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

describe("prove plan (bad input is exit 2, located)", () => {
  it("accepts a known switch the target allows, on the experiments' one target", async () => {
    const f = files("    - { name: no-breaker, sandbox: { break: breaker } }\n");
    const plan = await loadProvePlan(f.gameday, f.targets);
    expect(plan.mutants.map((m) => [m.mutant.name, m.targetName])).toEqual([["no-breaker", "sandbox"]]);
  });

  it("an unknown switch names the line and the field", async () => {
    const got = await issues("    - name: x\n      sandbox: { break: brakes }\n");
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^8:spec\.mutants\[0\]\.sandbox\.break: .*did you mean "breaker"/);
  });

  it("a variable the target's mutableEnv does not allow is refused at its line", async () => {
    expect((await issues("    - { name: x, sandbox: { break: jitter } }\n", "[]"))[0]).toMatch(
      /^7:spec\.mutants\[0\]\.sandbox\.break: target "sandbox" does not allow overriding SANDBOX_BREAK/,
    );
    expect(
      await issues(
        "    - name: y\n      compose: { service: payments, env: { SANDBOX_BREAK: x } }\n",
        "[SANDBOX_*]",
      ),
    ).toEqual([
      expect.stringMatching(/^8:spec\.mutants\[0\]\.compose: target "sandbox" has no docker entry/),
    ]);
  });

  it("an unknown target, two forms at once and duplicate names are issues", async () => {
    expect((await issues("    - { name: x, target: nowhere, sandbox: { break: jitter } }\n"))[0]).toMatch(
      /no target "nowhere"/,
    );
    expect(
      (
        await issues(
          "    - { name: x, sandbox: { break: jitter }, compose: { service: a, env: { A: b } } }\n",
        )
      )[0],
    ).toMatch(/exactly one of sandbox, compose, kubernetes/);
    expect(
      (
        await issues(
          "    - { name: x, sandbox: { break: jitter } }\n    - { name: x, sandbox: { break: breaker } }\n",
        )
      )[0],
    ).toMatch(/unique mutant names/);
  });

  it("a game day without mutants has nothing to prove", async () => {
    expect(await issues("    []\n")).toEqual([expect.stringMatching(/spec\.mutants: no mutants to prove/)]);
  });

  it("kubernetes workloads must be deployment/<name> or statefulset/<name>", async () => {
    expect(
      (await issues("    - { name: k, kubernetes: { namespace: a, workload: pod/x, env: { A: b } } }\n"))[0],
    ).toMatch(/deployment\/<name>/);
  });

  it("the CLI exits 2 naming file, line and field, before touching anything", async () => {
    const f = files("    - name: x\n      sandbox: { break: brakes }\n");
    const r = await runCli(["prove", f.gameday, "--targets", f.targets]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${f.gameday}:8`);
    expect(r.stderr).toMatch(/spec\.mutants\[0\]\.sandbox\.break/);
  });
});
