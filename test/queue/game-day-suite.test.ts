import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import {
  gameDay,
  type PrivateTarget,
  queueExperiment,
  startPrivateTarget,
} from "./support/private-target.js";

// biome-ignore lint/suspicious/noTemplateCurlyInString: ${VAR} is gameday's interpolation syntax
const FAILING = '    - { name: upstream is down, http: { url: "${UP_URL}/" }, equals: 500, during: slow }';

describe("gameday run <GameDay file>: the suite inline, one combined verdict", () => {
  let t: PrivateTarget;
  beforeAll(async () => {
    t = await startPrivateTarget();
    t.write("pass.yaml", queueExperiment({ name: "passes" }));
    t.write("fail.yaml", queueExperiment({ name: "fails", expect: FAILING }));
  });
  afterAll(() => t.stop());

  const run = (file: string) =>
    runCli([
      "run",
      file,
      "--targets",
      t.targets,
      "--state-dir",
      t.stateDir,
      "--quiet",
      "--report",
      `${file}.md`,
    ]);

  it("runs the experiments in order and passes when all pass", async () => {
    const res = await run(t.write("ok.yaml", gameDay("all-pass", ["pass.yaml", "./pass.yaml"])));
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain("Game day: 2/2 experiments passed");
    expect(await t.leftovers()).toEqual([]);
  });

  it("stops at the first failure by default", async () => {
    const res = await run(t.write("stop.yaml", gameDay("stops", ["fail.yaml", "pass.yaml"])));
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toContain("FAILED fails");
    expect(res.stderr).not.toContain("passes");
  });

  it("with continueOnFailure runs the rest; the combined exit code is the worst", async () => {
    const res = await run(t.write("cont.yaml", gameDay("continues", ["fail.yaml", "pass.yaml"], true)));
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toContain("Game day: 1/2 experiments passed");
    expect(await t.leftovers()).toEqual([]);
  });

  it("refuses a game day listing a missing file, naming file, line and field", async () => {
    const file = t.write("bad.yaml", gameDay("bad", ["pass.yaml", "nope.yaml"]));
    const res = await run(file);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${file}:8:7: spec.experiments[1]: no such experiment file`);
  });
});
