import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrivateTarget, queueExperiment, startPrivateTarget } from "../queue/support/private-target.js";
import { runCli } from "../support/cli.js";

describe("gameday run --rehearse checks everything and injects nothing (real CLI, real Toxiproxy)", () => {
  let t: PrivateTarget;
  beforeAll(async () => {
    t = await startPrivateTarget(["t1"]);
    t.write(
      "exp.yaml",
      queueExperiment({
        name: "rehearsed",
        faultFor: "30s",
        expect:
          // biome-ignore lint/suspicious/noTemplateCurlyInString: ${VAR} is gameday's interpolation syntax
          '    - { name: upstream keeps answering, http: { url: "${UP_URL}/" }, equals: 200, during: slow }',
      }),
    );
    t.write(
      "unsteady.yaml",
      queueExperiment({ name: "unsteady" }).replace("equals: 200, over: 500ms", "equals: 503, over: 500ms"),
    );
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("preflight, steady state and every probe once; Toxiproxy untouched throughout; nothing recorded; exit 0", async () => {
    const proxiesBefore = await (await fetch(`${t.toxiproxy.url}/proxies`)).text();
    // Watch Toxiproxy the whole time: a toxic added and removed again would still be seen.
    const seen: string[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        seen.push(...(await t.leftovers()));
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const res = await runCli([
      "run",
      "--rehearse",
      join(t.dir, "exp.yaml"),
      "--targets",
      t.targets,
      "--state-dir",
      t.stateDir,
    ]);
    watching = false;
    await watcher;
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain("rehearsal of rehearsed");
    expect(res.stdout).toContain("ok   not halted, no blackout window, no guarded alert firing");
    expect(res.stdout).toMatch(/ok {3}fault slow: would .+ on .*up-t1.* \(not injected\)/);
    expect(res.stdout).toMatch(/ok {3}steady state "upstream answers": .*held/);
    expect(res.stdout).toMatch(/ok {3}expectation "upstream keeps answering": .* = 200/);
    expect(res.stdout).toContain("all good");
    expect(seen).toEqual([]);
    expect(await (await fetch(`${t.toxiproxy.url}/proxies`)).text()).toBe(proxiesBefore);
    // No journal, no run in the history.
    expect(existsSync(join(t.stateDir, "runs"))).toBe(false);
  });

  it("a steady state that does not hold: exit 4, the check named, still nothing injected", async () => {
    const res = await runCli([
      "run",
      "--rehearse",
      join(t.dir, "unsteady.yaml"),
      "--targets",
      t.targets,
      "--state-dir",
      t.stateDir,
    ]);
    expect(res.code, res.stdout + res.stderr).toBe(4);
    expect(res.stdout).toMatch(/FAIL steady state "upstream answers": .*did not hold/);
    expect(res.stdout).toContain("not ready (exit 4)");
    expect(await t.leftovers()).toEqual([]);
    expect(existsSync(join(t.stateDir, "runs"))).toBe(false);
  });
});
