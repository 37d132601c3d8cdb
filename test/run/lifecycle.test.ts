import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { experiment, leftovers, workspace } from "../support/experiment-files.js";
import { ensureSandbox } from "../support/sandbox.js";

function journalTypes(stateDir: string, stdout: string): { types: string[]; runDir: string } {
  const runId = /run (\S+)/.exec(stdout)?.[1];
  const runDir = join(stateDir, "runs", runId ?? "missing");
  const types = readFileSync(join(runDir, "journal.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l).type as string);
  return { types, runDir };
}

describe("run lifecycle against the real sandbox, Toxiproxy and Prometheus", () => {
  beforeAll(async () => {
    await ensureSandbox();
    expect(await leftovers()).toEqual([]);
  });

  it("passes with every expectation semantics, journals before injecting, and reverts", async () => {
    const ws = workspace();
    const file = ws.write(
      "pass.yaml",
      experiment({
        name: "semantics-pass",
        fault: "{ proxy: payments, toxic: latency, latency: 500ms }",
        expect: `    - { name: always, source: load, metric: errorRatio, below: 0.05, during: f1 }
    - name: eventually
      promql: sum(increase(dependency_timeouts_total{service="orders",dependency="payments"}[5s]))
      above: 0
      within: 3s
      during: f1
    - { name: at end, http: { url: "http://127.0.0.1:18080/health" }, equals: 200, at: end }
    - { name: recovered, source: load, metric: p95, below: 250, recoveredWithin: 15s }`,
      }),
    );
    const res = await runCli([
      "run",
      file,
      "--targets",
      ws.targets,
      "--state-dir",
      ws.stateDir,
      "--junit",
      join(ws.dir, "j.xml"),
    ]);
    expect(res.code, res.stderr).toBe(0);
    const { types, runDir } = journalTypes(ws.stateDir, res.stderr);
    expect(types.indexOf("fault.injecting")).toBeLessThan(types.indexOf("fault.injected"));
    expect(types.indexOf("fault.reverting")).toBeLessThan(types.indexOf("fault.reverted"));
    expect(types.at(-1)).toBe("run.finished");
    const run = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8"));
    expect(run.expectations.map((e: { status: string }) => e.status)).toEqual([
      "passed",
      "passed",
      "passed",
      "passed",
    ]);
    expect(readFileSync(join(runDir, "report.md"), "utf8")).toContain("### Timeline");
    expect(readFileSync(join(ws.dir, "j.xml"), "utf8")).toContain('name="always"');
    expect(await leftovers()).toEqual([]);
  });

  it("fails (exit 1) naming the expectation and the observed values, and still reverts", async () => {
    const ws = workspace();
    const file = ws.write(
      "fail.yaml",
      experiment({
        name: "must-fail",
        fault: "{ proxy: risk, toxic: latency, latency: 10ms }",
        expect:
          "    - { name: impossible error ratio, source: load, metric: errorRatio, above: 0.5, during: f1 }",
      }),
    );
    const res = await runCli([
      "run",
      file,
      "--targets",
      ws.targets,
      "--state-dir",
      ws.stateDir,
      "--junit",
      join(ws.dir, "j.xml"),
    ]);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toContain('expectation "impossible error ratio" failed');
    expect(res.stderr).toMatch(/first violated with 0 at/);
    expect(readFileSync(join(ws.dir, "j.xml"), "utf8")).toMatch(
      /<failure message="always during f1: load errorRatio &gt; 0.5: did not hold/,
    );
    expect(await leftovers()).toEqual([]);
  });

  it("aborts (exit 3) when an abort condition holds long enough, and reverts the outage", async () => {
    const ws = workspace();
    const file = ws.write(
      "abort.yaml",
      experiment({
        name: "must-abort",
        fault: "{ proxy: orders, toxic: outage }",
        faultFor: "20s",
        abort: "    - { name: checkout down, source: load, metric: errorRatio, above: 0.5, for: 1s }",
      }),
    );
    const started = Date.now();
    const res = await runCli(["run", file, "--targets", ws.targets, "--state-dir", ws.stateDir]);
    expect(res.code, res.stderr).toBe(3);
    expect(res.stderr).toContain("aborted by condition: checkout down");
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await leftovers()).toEqual([]);
  });

  it("does not inject anything (exit 4) when the steady state does not hold", async () => {
    const ws = workspace();
    const file = ws.write(
      "steady.yaml",
      experiment({
        name: "no-steady-state",
        fault: "{ proxy: payments, toxic: latency, latency: 100ms }",
        steady: "    - { name: impossibly fast, source: load, metric: p95, below: 0.001, over: 1s }",
      }),
    );
    const res = await runCli(["run", file, "--targets", ws.targets, "--state-dir", ws.stateDir]);
    expect(res.code, res.stderr).toBe(4);
    const { types } = journalTypes(ws.stateDir, res.stderr);
    expect(types).not.toContain("fault.injecting");
    expect(await leftovers()).toEqual([]);
  });

  it("rolls back and exits 5 when a probe throws mid-method", async () => {
    const ws = workspace();
    const file = ws.write(
      "probe-error.yaml",
      experiment({
        name: "probe-throws",
        fault: "{ proxy: payments, toxic: latency, latency: 100ms }",
        expect: '    - { name: broken query, promql: "sum(rate(", above: 0, during: f1 }',
      }),
    );
    const res = await runCli(["run", file, "--targets", ws.targets, "--state-dir", ws.stateDir]);
    expect(res.code, res.stderr).toBe(5);
    expect(res.stderr).toContain("was rejected by");
    const { types } = journalTypes(ws.stateDir, res.stderr);
    expect(types).toContain("fault.reverted");
    expect(await leftovers()).toEqual([]);
  });

  it("refuses at preflight (exit 4): proxy not allow-listed, Toxiproxy or Prometheus unreachable", async () => {
    const ws = workspace();
    const unknownProxy = ws.write(
      "p1.yaml",
      experiment({ name: "p1", fault: "{ proxy: nosuch, toxic: latency, latency: 1ms }" }),
    );
    let res = await runCli(["run", unknownProxy, "--targets", ws.targets, "--state-dir", ws.stateDir]);
    expect(res.code).toBe(4);
    expect(res.stderr).toContain("nosuch");
    const deadToxi = workspace({ toxiproxy: "http://127.0.0.1:1" });
    const f2 = deadToxi.write(
      "p2.yaml",
      experiment({ name: "p2", fault: "{ proxy: payments, toxic: latency, latency: 1ms }" }),
    );
    res = await runCli(["run", f2, "--targets", deadToxi.targets, "--state-dir", deadToxi.stateDir]);
    expect(res.code).toBe(4);
    expect(res.stderr).toContain("http://127.0.0.1:1");
    const deadProm = workspace({ prometheus: "http://127.0.0.1:1" });
    const f3 = deadProm.write(
      "p3.yaml",
      experiment({ name: "p3", fault: "{ proxy: payments, toxic: latency, latency: 1ms }" }),
    );
    res = await runCli(["run", f3, "--targets", deadProm.targets, "--state-dir", deadProm.stateDir]);
    expect(res.code).toBe(4);
    expect(res.stderr).toContain("Prometheus at http://127.0.0.1:1 is not reachable");
    expect(await leftovers()).toEqual([]);
  });

  it("exits 2 on an invalid file and touches nothing", async () => {
    const ws = workspace();
    const file = ws.write(
      "bad.yaml",
      experiment({ name: "bad", fault: "{ proxy: payments, toxic: latency, latency: 100 }" }),
    );
    const res = await runCli(["run", file, "--targets", ws.targets, "--state-dir", ws.stateDir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/bad\.yaml:\d+:\d+: spec\.faults\[0\]\.toxiproxy\.latency/);
    expect(await leftovers()).toEqual([]);
  });
});
