import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "../support/cli.js";
import { experiment, leftovers, SANDBOX, workspace } from "../support/experiment-files.js";
import { waitForInjected } from "../support/journal-wait.js";
import { ensureSandbox } from "../support/sandbox.js";

describe("gameday recover finds orphans by owner tag, without any journal", () => {
  beforeAll(async () => {
    await ensureSandbox();
  });

  it("removes an orphaned toxic (dry run first)", async () => {
    const ws = workspace();
    const add = (proxy: string, body: object) =>
      fetch(`${SANDBOX.toxiproxy}/proxies/${proxy}/toxics`, { method: "POST", body: JSON.stringify(body) });
    expect(
      (await add("risk", { name: "gameday.deadrun-1.slow", type: "latency", attributes: { latency: 50 } }))
        .ok,
    ).toBe(true);
    const dry = await runCli(["recover", "--targets", ws.targets, "--dry-run"]);
    expect(dry.stdout).toContain("would revert gameday.deadrun-1.slow");
    expect(await leftovers()).toEqual(["risk/gameday.deadrun-1.slow"]);
    const res = await runCli(["recover", "--targets", ws.targets, "--run", "deadrun-1"]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("reverted gameday.deadrun-1.slow");
    expect(await leftovers()).toEqual([]);
  });

  it("after kill -9 of the runner mid-outage, recover re-enables the proxy", async () => {
    const ws = workspace();
    const file = ws.write(
      "outage.yaml",
      experiment({ name: "killed", fault: "{ proxy: risk, toxic: outage }", faultFor: "60s" }),
    );
    const child = spawn(
      process.execPath,
      [CLI, "run", file, "--targets", ws.targets, "--state-dir", ws.stateDir],
      { stdio: "ignore" },
    );
    try {
      await waitForInjected(ws.stateDir);
      child.kill("SIGKILL");
      await new Promise((r) => child.once("close", r));
      expect(await leftovers()).toContain("risk disabled");
      // The journal is deleted too: ownership lives in Toxiproxy itself.
      const res = await runCli(["recover", "--targets", ws.targets]);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/reverted gameday@[a-z0-9-]+\.\S+\.f1/);
      expect(await leftovers()).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
