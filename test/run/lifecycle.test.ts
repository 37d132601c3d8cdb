import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { experiment, leftovers, runIn, SANDBOX, workspace } from "../support/experiment-files.js";
import { ensureSandbox } from "../support/sandbox.js";

function journalTypes(stateDir: string, stderr: string): { types: string[]; runDir: string } {
  const runId = /run (\S+)/.exec(stderr)?.[1];
  const runDir = join(stateDir, "runs", runId ?? "missing");
  const types = readFileSync(join(runDir, "journal.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l).type as string);
  return { types, runDir };
}

const slowPayments = "{ proxy: payments, toxic: latency, latency: 100ms }";

describe("run lifecycle against the real sandbox, Toxiproxy and Prometheus", () => {
  beforeAll(async () => {
    await ensureSandbox();
    expect(await leftovers()).toEqual([]);
  });

  it("passes with every expectation semantics, journals before injecting, and reverts", async () => {
    const ws = workspace();
    const yaml = experiment({
      name: "semantics-pass",
      fault: "{ proxy: payments, toxic: latency, latency: 500ms }",
      expect: `    - { name: always, source: load, metric: errorRatio, below: 0.05, during: f1 }
    - name: eventually
      promql: sum(increase(dependency_timeouts_total{service="orders",dependency="payments"}[5s]))
      above: 0
      within: 3s
      during: f1
    - name: scraped without Prometheus
      scrape: { target: orders, metric: dependency_timeouts_total, labels: { dependency: payments } }
      above: 0
      within: 3s
      during: f1
    - { name: at end, http: { url: "${SANDBOX.gateway}/health" }, equals: 200, at: end }
    - { name: recovered, source: load, metric: p95, below: 250, recoveredWithin: 15s }`,
    });
    const res = await runIn(ws, "pass.yaml", yaml, ["--junit", join(ws.dir, "j.xml")]);
    expect(res.code, res.stderr).toBe(0);
    const { types, runDir } = journalTypes(ws.stateDir, res.stderr);
    expect(types.indexOf("fault.injecting")).toBeLessThan(types.indexOf("fault.injected"));
    expect(types.indexOf("fault.reverting")).toBeLessThan(types.indexOf("fault.reverted"));
    expect(types.at(-1)).toBe("run.finished");
    const run = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8"));
    expect(run.expectations.map((e: { status: string }) => e.status)).toEqual(Array(5).fill("passed"));
    expect(readFileSync(join(runDir, "report.md"), "utf8")).toContain("### Timeline");
    expect(readFileSync(join(ws.dir, "j.xml"), "utf8")).toContain('name="always"');
    expect(await leftovers()).toEqual([]);
  });

  it("fails (exit 1) naming the expectation and the observed values, and still reverts", async () => {
    const ws = workspace();
    const yaml = experiment({
      name: "must-fail",
      fault: "{ proxy: risk, toxic: latency, latency: 10ms }",
      expect:
        "    - { name: impossible error ratio, source: load, metric: errorRatio, above: 0.5, during: f1 }",
    });
    const res = await runIn(ws, "fail.yaml", yaml, ["--junit", join(ws.dir, "j.xml")]);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toContain('expectation "impossible error ratio" failed');
    // Broken from the first sample, and sampled on to the fault's end: the whole window violated.
    expect(res.stderr).toMatch(
      /worst 0 <= 0.5 at \+[\d.]+ s; violated from \+[\d.]+ s for [\d.]+ s of the [\d.]+ s window/,
    );
    expect(readFileSync(join(ws.dir, "j.xml"), "utf8")).toMatch(
      /<failure message="always during f1: load errorRatio > 0.5: did not hold/,
    );
    expect(readFileSync(join(ws.dir, "j.xml"), "utf8")).toMatch(/<property name="violatingMs" value="\d+"/);
    expect(await leftovers()).toEqual([]);
  });

  it("aborts (exit 3) when an abort condition holds long enough, and reverts the outage", async () => {
    const started = Date.now();
    const yaml = experiment({
      name: "must-abort",
      fault: "{ proxy: orders, toxic: outage }",
      faultFor: "20s",
      abort: "    - { name: checkout down, source: load, metric: errorRatio, above: 0.5, for: 1s }",
    });
    const res = await runIn(workspace(), "abort.yaml", yaml);
    expect(res.code, res.stderr).toBe(3);
    expect(res.stderr).toContain("aborted by condition: checkout down");
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await leftovers()).toEqual([]);
  });

  it("does not inject anything (exit 4) when the steady state does not hold", async () => {
    const ws = workspace();
    const yaml = experiment({
      name: "no-steady-state",
      fault: slowPayments,
      steady: "    - { name: impossibly fast, source: load, metric: p95, below: 0.001, over: 1s }",
    });
    const res = await runIn(ws, "steady.yaml", yaml);
    expect(res.code, res.stderr).toBe(4);
    expect(journalTypes(ws.stateDir, res.stderr).types).not.toContain("fault.injecting");
    expect(await leftovers()).toEqual([]);
  });

  it("rolls back and exits 5 when a probe throws mid-method", async () => {
    const ws = workspace();
    const yaml = experiment({
      name: "probe-throws",
      fault: slowPayments,
      expect: '    - { name: broken query, promql: "sum(rate(", above: 0, during: f1 }',
    });
    const res = await runIn(ws, "probe-error.yaml", yaml);
    expect(res.code, res.stderr).toBe(5);
    expect(res.stderr).toContain("was rejected by");
    expect(journalTypes(ws.stateDir, res.stderr).types).toContain("fault.reverted");
    expect(await leftovers()).toEqual([]);
  });

  const preflightCases = [
    { what: "a proxy that is not allow-listed", ws: {}, proxy: "nosuch", says: "nosuch" },
    {
      what: "an unreachable Toxiproxy",
      ws: { toxiproxy: "http://127.0.0.1:1" },
      proxy: "payments",
      says: "http://127.0.0.1:1",
    },
    {
      what: "an unreachable Prometheus",
      ws: { prometheus: "http://127.0.0.1:1" },
      proxy: "payments",
      says: "Prometheus at http://127.0.0.1:1 is not reachable",
    },
  ];
  for (const c of preflightCases) {
    it(`refuses at preflight (exit 4) with ${c.what}, touching nothing`, async () => {
      const fault = `{ proxy: ${c.proxy}, toxic: latency, latency: 1ms }`;
      const res = await runIn(workspace(c.ws), "p.yaml", experiment({ name: "preflight", fault }));
      expect(res.code, res.stderr).toBe(4);
      expect(res.stderr).toContain(c.says);
      expect(await leftovers()).toEqual([]);
    });
  }

  it("exits 2 on an invalid file and touches nothing", async () => {
    const yaml = experiment({ name: "bad", fault: "{ proxy: payments, toxic: latency, latency: 100 }" });
    const res = await runIn(workspace(), "bad.yaml", yaml);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/bad\.yaml:\d+:\d+: spec\.faults\[0\]\.toxiproxy\.latency/);
    expect(await leftovers()).toEqual([]);
  });
});
