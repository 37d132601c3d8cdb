import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAlertGuard } from "../../src/safety/alert-guard.js";
import { targetSchema } from "../../src/targets/targets-schema.js";
import { type PrivateTarget, queueExperiment, startPrivateTarget } from "../queue/support/private-target.js";
import { runCli } from "../support/cli.js";
import { type RunningPrometheus, startPrometheus } from "../support/prometheus-server.js";
import { freePort } from "../support/toxiproxy-server.js";

type RulesPrometheus = RunningPrometheus;

/** A private real Prometheus evaluating one alert that always fires and one that never does, every second. */
async function startRulesPrometheus(): Promise<RulesPrometheus> {
  const rules = [
    "groups:",
    "  - name: guard-test",
    "    rules:",
    "      - alert: AlwaysFiring",
    "        expr: vector(1)",
    "      - alert: NeverFiring",
    "        expr: vector(1) < 0",
  ].join("\n");
  const prom = await startPrometheus(mkdtempSync(join(tmpdir(), "gameday-alerts-")), {}, rules);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const firing = await fetch(`${prom.url}/api/v1/alerts`)
      .then(
        (r) => r.json() as Promise<{ data: { alerts: { labels: { alertname: string }; state: string }[] } }>,
      )
      .then(
        (b) => b.data.alerts.some((a) => a.labels.alertname === "AlwaysFiring" && a.state === "firing"),
        () => false,
      );
    if (firing) break;
    if (Date.now() > deadline) {
      await prom.stop();
      throw new Error(`prometheus at ${prom.url} did not fire AlwaysFiring within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return prom;
}

describe("the alert guard reads a real Prometheus' /api/v1/alerts and fails closed", () => {
  let prom: RulesPrometheus;
  let t: PrivateTarget;
  let deadUrl: string;
  beforeAll(async () => {
    [prom, t] = await Promise.all([startRulesPrometheus(), startPrivateTarget(["t1"])]);
    deadUrl = `http://127.0.0.1:${await freePort()}`;
    t.write("exp.yaml", queueExperiment({ name: "guarded" }));
  });
  afterAll(async () => {
    await prom?.stop();
    await t?.stop();
  });

  const guarded = (url: string, names: string[]) =>
    targetSchema.parse({ prometheus: { url }, guards: { alerts: { names } } });
  const targetsWith = (name: string, url: string, names: string[]) => {
    const file = join(t.dir, name);
    writeFileSync(
      file,
      readFileSync(t.targets, "utf8").replace(
        /^( {2}t1:\n)/m,
        `$1    prometheus: { url: "${url}" }\n    guards: { alerts: { names: [${names.join(", ")}] } }\n`,
      ),
    );
    return file;
  };

  it("an alert that never fires lets the run start; a firing one refuses, named", async () => {
    await expect(checkAlertGuard("t1", guarded(prom.url, ["NeverFiring"]))).resolves.toBeUndefined();
    await expect(checkAlertGuard("t1", guarded(prom.url, ["NeverFiring", "AlwaysFiring"]))).rejects.toThrow(
      `refused: alert AlwaysFiring firing on ${prom.url} (the alert guard of target t1)`,
    );
  });

  it("gameday run refuses while a guarded alert fires: exit 4, the alert named, nothing injected", async () => {
    const targets = targetsWith("firing.yaml", prom.url, ["AlwaysFiring", "NeverFiring"]);
    const res = await runCli([
      "run",
      join(t.dir, "exp.yaml"),
      "--targets",
      targets,
      "--state-dir",
      t.stateDir,
    ]);
    expect(res.code, res.stderr).toBe(4);
    expect(res.stdout + res.stderr).toContain("alert AlwaysFiring firing");
    expect(res.stdout + res.stderr).not.toContain("NeverFiring firing");
    expect(await t.leftovers()).toEqual([]);
  });

  it("an unreachable Prometheus refuses too (fail closed), with a clear message", async () => {
    const targets = targetsWith("dead.yaml", deadUrl, ["AlwaysFiring"]);
    const res = await runCli([
      "run",
      join(t.dir, "exp.yaml"),
      "--targets",
      targets,
      "--state-dir",
      t.stateDir,
    ]);
    expect(res.code, res.stderr).toBe(4);
    expect(res.stdout + res.stderr).toContain(`cannot read ${deadUrl}/api/v1/alerts`);
    expect(res.stdout + res.stderr).toContain("fails closed");
    expect(await t.leftovers()).toEqual([]);
  });

  it("a guard without the target's prometheus is an input error at its line", async () => {
    const file = join(t.dir, "no-prom.yaml");
    writeFileSync(
      file,
      "apiVersion: gameday/v1\nkind: Targets\ntargets:\n  t1:\n    guards:\n      alerts: { names: [HighErrorRate] }\n",
    );
    const res = await runCli(["validate", file]);
    expect(res.code).toBe(2);
    expect(res.stdout + res.stderr).toMatch(
      /no-prom\.yaml:6:\d+: targets\.t1\.guards\.alerts: expected the target's prometheus/,
    );
  });
});
