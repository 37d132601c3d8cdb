import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrivateTarget, queueExperiment, startPrivateTarget } from "../queue/support/private-target.js";
import { CLI, runCli } from "../support/cli.js";
import { waitForInjected } from "../support/journal-wait.js";

interface Event {
  t: number;
  type: string;
  data: Record<string, unknown>;
}

const SAMPLE_INTERVAL_MS = 500; // queueExperiment's sampleInterval

function journalOf(stateDir: string): Event[] {
  const runs = join(stateDir, "runs");
  const [id] = readdirSync(runs);
  return readFileSync(join(runs, id as string, "journal.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Event);
}

describe("gameday halt stops a live run (real CLI processes, real Toxiproxy, the state folder)", () => {
  let t: PrivateTarget;
  beforeAll(async () => {
    t = await startPrivateTarget(["t1"]);
    t.write("long.yaml", queueExperiment({ name: "halted-live", faultFor: "60s" }));
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("halt mid-fault: the method stops, the toxic is reverted and verified within 1 s + one sample interval, exit 3, journal says halted", async () => {
    const child = spawn(
      process.execPath,
      [CLI, "run", join(t.dir, "long.yaml"), "--targets", t.targets, "--state-dir", t.stateDir],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    try {
      await waitForInjected(t.stateDir);
      expect((await t.leftovers()).length).toBe(1);
      const halt = await runCli(["halt", "--reason", "incident 4711: hands off", "--state-dir", t.stateDir]);
      expect(halt.code, halt.stderr).toBe(0);
      expect(halt.stdout).toMatch(/halted by .+@.+ at .+: incident 4711: hands off/);
      expect(halt.stdout).toMatch(
        /1 running run\(s\) stop their method and roll back every fault: \S+ \(halted-live\)/,
      );
      const code = await exited;
      expect(code, out).toBe(3);
      expect(await t.leftovers()).toEqual([]);

      const journal = journalOf(t.stateDir);
      const halted = journal.find((e) => e.type === "run.halted");
      expect(halted?.data.reason).toBe("incident 4711: hands off");
      const reverted = journal.find((e) => e.type === "fault.reverted");
      expect(reverted, "the fault's revert was verified").toBeDefined();
      // The safety property: from the moment the halt was set to the verified revert.
      const haltToVerified = (reverted?.t ?? Infinity) - Number(halted?.data.at);
      expect(haltToVerified).toBeGreaterThan(0);
      expect(haltToVerified).toBeLessThan(1000 + SAMPLE_INTERVAL_MS);
      const finished = journal.find((e) => e.type === "run.finished");
      expect(finished?.data.verdict).toBe("aborted");
      expect(String(finished?.data.reason)).toContain("incident 4711: hands off");
      expect(String(finished?.data.reason)).toContain("gameday halt");
      expect(out).toContain("incident 4711: hands off");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("while halted a new run refuses (exit 4, the reason printed, nothing created); halt twice updates the reason; resume lifts it", async () => {
    const runsBefore = readdirSync(join(t.stateDir, "runs")).length;
    const again = await runCli(["halt", "--reason", "still frozen", "--state-dir", t.stateDir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already halted");
    expect(again.stdout).toContain("the reason is now: still frozen");
    expect(again.stdout).toContain("no run was running; new runs will refuse until `gameday resume`");
    const show = await runCli(["halt", "--show", "--state-dir", t.stateDir]);
    expect(show.stdout).toContain("still frozen");

    const refused = await runCli([
      "run",
      join(t.dir, "long.yaml"),
      "--targets",
      t.targets,
      "--state-dir",
      t.stateDir,
    ]);
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toContain("E_HALTED");
    expect(refused.stderr).toContain("still frozen");
    expect(refused.stderr).toContain("gameday resume");
    expect(readdirSync(join(t.stateDir, "runs")).length).toBe(runsBefore);
    expect(await t.leftovers()).toEqual([]);

    const resumed = await runCli(["resume", "--state-dir", t.stateDir]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain("resumed (was halted by");
    const twice = await runCli(["resume", "--state-dir", t.stateDir]);
    expect(twice.code).toBe(0);
    expect(twice.stdout).toContain("not halted");
    expect((await runCli(["halt", "--show", "--state-dir", t.stateDir])).stdout).toContain("not halted");
  });

  it("halt with nothing running sets the halt and says so", async () => {
    const dir = join(t.dir, "idle-state");
    const res = await runCli(["halt", "--state-dir", dir]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("no run was running; new runs will refuse until `gameday resume`");
    expect(res.stdout).toContain("no reason given");
    expect((await runCli(["resume", "--state-dir", dir])).code).toBe(0);
  });
});
