import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { DEAD_TARGETS_TEXT, scratchFiles } from "../support/scratch-files.js";

const { dir, write } = scratchFiles("gameday-parameters-cli-");

/** Nothing listens on port 1: every endpoint of this target is unreachable, so nothing can be touched. */
const DEAD_TARGETS = write("dead-targets.yaml", DEAD_TARGETS_TEXT);

const EXPERIMENT = write(
  "db-latency.yaml",
  `apiVersion: gameday/v1
kind: Experiment
metadata: { name: db-latency }
spec:
  target: dead
  parameters:
    latency: { type: duration, default: 200ms }
    toxicity: { type: ratio, default: 1 }
  faults:
    - name: slow-db
      for: 5s
      toxiproxy: { proxy: db, toxic: latency, latency: "\${param.latency}", toxicity: "\${param.toxicity}" }
`,
);

const GAME_DAY = write(
  "sweep.yaml",
  `apiVersion: gameday/v1
kind: GameDay
metadata: { name: sweep }
spec:
  experiments: [db-latency.yaml]
  matrix:
    latency: [200ms, 800ms, 2s]
    toxicity: [0.1, 0.5]
`,
);

describe("gameday validate, plan and run with parameters", () => {
  it("plan shows every run of the matrix by name with its values, in order, and still exits 4 on the dead target", async () => {
    const res = await runCli(["plan", "--targets", DEAD_TARGETS, GAME_DAY]);
    expect(res.code, res.stderr).toBe(4);
    const heads = res.stdout.split("\n").filter((l) => l.startsWith("db-latency"));
    expect(heads.map((l) => l.split(" ")[0])).toEqual([
      "db-latency[latency=200ms,toxicity=0.1]",
      "db-latency[latency=200ms,toxicity=0.5]",
      "db-latency[latency=800ms,toxicity=0.1]",
      "db-latency[latency=800ms,toxicity=0.5]",
      "db-latency[latency=2s,toxicity=0.1]",
      "db-latency[latency=2s,toxicity=0.5]",
    ]);
    expect(res.stdout).toContain("  parameters: latency=2s, toxicity=0.5\n");
  });

  it("--var wins over --var-file, which wins over the default", async () => {
    const varFile = write("vars.yaml", "latency: 800ms\ntoxicity: 0.25\n");
    const res = await runCli([
      "plan",
      "--targets",
      DEAD_TARGETS,
      "--var-file",
      varFile,
      "--var",
      "latency=1s",
      EXPERIMENT,
    ]);
    expect(res.code, res.stderr).toBe(4);
    expect(res.stdout).toContain("db-latency (");
    expect(res.stdout).toContain("  parameters: latency=1s, toxicity=0.25\n");
  });

  it("validate accepts the game day and refuses an unknown or ill-typed --var (exit 2), naming it", async () => {
    const ok = await runCli(["validate", "--targets", DEAD_TARGETS, GAME_DAY, "--var", "toxicity=50%"]);
    // toxicity is a matrix axis of the game day: a --var for it is refused too.
    expect(ok.code).toBe(2);
    expect(ok.stderr).toContain(
      `✗ --var: toxicity: toxicity is a matrix axis of ${GAME_DAY}: each run takes its value from the matrix`,
    );
    const plain = await runCli(["validate", "--targets", DEAD_TARGETS, EXPERIMENT, "--var", "toxicity=50%"]);
    expect(plain.code, plain.stderr).toBe(0);
    const typo = await runCli(["validate", "--targets", DEAD_TARGETS, EXPERIMENT, "--var", "latncy=1s"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(
      '✗ --var: latncy: --var latncy: no experiment declares a parameter latncy (declared: latency, toxicity); did you mean "latency"?',
    );
    const wrong = await runCli(["validate", "--targets", DEAD_TARGETS, EXPERIMENT, "--var", "latency=fast"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--var latency="fast": expected a duration with a unit');
  });

  it("run refuses bad parameters with exit 2 before anything is contacted or recorded", async () => {
    const stateDir = join(dir, "state");
    const secret = "tok-9f8e7d6c5b4a";
    const varFile = write("bad-vars.yaml", `latency: ${secret}\n`);
    const res = await runCli([
      "run",
      "--targets",
      DEAD_TARGETS,
      "--state-dir",
      stateDir,
      "--var-file",
      varFile,
      GAME_DAY.replace("sweep.yaml", "db-latency.yaml"),
    ]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${varFile}:1:10: latency: the value of latency: expected a duration`);
    expect(res.stderr + res.stdout).not.toContain(secret);
    expect(existsSync(stateDir)).toBe(false);
  });
});
