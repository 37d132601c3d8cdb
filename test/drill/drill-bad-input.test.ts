import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadDrillText } from "../../src/drill/drill-loader.js";
import { planDrill, seededRandom } from "../../src/drill/drill-plan.js";
import { ValidationError } from "../../src/errors/gameday-error.js";
import { loadTargetsText } from "../../src/targets/targets-loader.js";
import { REPO, runCli } from "../support/cli.js";
import { DEAD_TARGETS_TEXT, scratchFiles } from "../support/scratch-files.js";

const CHAIN = readFileSync(`${REPO}drills/risk-cache-chain.yaml`, "utf8");

function issuesOf(text: string) {
  try {
    loadDrillText(text, "drill.yaml");
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  return [];
}

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("drill files: bad input names file, line and field (exit 2)", () => {
  it("every catalogue drill validates", async () => {
    const files = [
      "risk-cache-chain",
      "slow-payment-provider",
      "timeout-config-drift",
      "payments-pool-exhaustion",
      "risk-memory-leak",
    ].map((n) => `drills/${n}.yaml`);
    const ok = await runCli(["validate", ...files]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("5 valid, 0 invalid");
  });

  it("an answer key naming a component or mechanism that does not exist", () => {
    const text = CHAIN.replace("component: risk", "component: cache").replace(
      "mechanism: cache-miss-storm",
      "mechanism: cache-mis-storm",
    );
    const issues = issuesOf(text);
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ["spec.answer.component", lineOf(text, "component: cache")],
      ["spec.answer.mechanism", lineOf(text, "mechanism: cache-mis-storm")],
    ]);
    expect(issues[1]?.message).toContain('did you mean "cache-miss-storm"');
  });

  it("an unknown trigger, a hint after the time limit, a window past it, a mitigation not offered in clearedBy", () => {
    const text = CHAIN.replace("trigger: config-change", "trigger: moon-phase")
      .replace("after: 180s", "after: 7m")
      .replace("window: { from: 30s, to: 120s }", "window: { from: 30s, to: 6m }")
      .replace(
        "mitigations: [restart-service, rollback-config, shed-load]",
        "mitigations: [restart-service]",
      );
    const paths = issuesOf(text).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "spec.answer.trigger",
        "spec.hints[1].after",
        "spec.window.to",
        "spec.clearedBy[0].action",
      ]),
    );
    const hint = issuesOf(text).find((i) => i.path === "spec.hints[1].after");
    expect(hint?.line).toBe(lineOf(text, "after: 7m"));
    expect(hint?.message).toContain("before the time limit (6m)");
  });

  it("gameday validate and drill start both exit 2 with file:line and the field", async () => {
    const { write } = scratchFiles("gameday-drill-bad-");
    const file = write("bad.yaml", CHAIN.replace("after: 90s", "after: 10m"));
    const line = lineOf(CHAIN, "after: 90s");
    const validate = await runCli(["validate", file]);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain(`bad.yaml:${line}:`);
    expect(validate.stderr).toContain("spec.hints[0].after");
    const targets = write("targets.yaml", DEAD_TARGETS_TEXT);
    const start = await runCli([
      "drill",
      "start",
      file,
      "--targets",
      targets,
      "--state-dir",
      `${file}.state`,
    ]);
    expect(start.code).toBe(2);
    expect(start.stderr).toContain("spec.hints[0].after");
  });

  it("an unknown scenario, or none chosen, is exit 2 naming the catalogue's scenarios", async () => {
    const res = await runCli(["drill", "start", "--scenario", "risk-cash-chain"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('unknown scenario "risk-cash-chain"');
    expect(res.stderr).toContain('did you mean "risk-cache-chain"');
    const empty = scratchFiles("gameday-drill-empty-");
    const none = await runCli(["drill", "start", "--random", "--catalogue", empty.dir]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("holds no drill files");
    const both = await runCli(["drill", "start", "drills/risk-cache-chain.yaml", "--random"]);
    expect(both.code).toBe(2);
  });

  it("schema --kind drill prints the Drill JSON Schema", async () => {
    const res = await runCli(["schema", "--kind", "drill"]);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).properties.kind.const).toBe("Drill");
  });
});

describe("drill plan", () => {
  it("a seed picks the same moment in the window; faults start from it and outlast the time limit", () => {
    const { drill } = loadDrillText(CHAIN, "drill.yaml");
    const a = planDrill(drill, { random: seededRandom(7) });
    const b = planDrill(drill, { random: seededRandom(7) });
    const c = planDrill(drill, { random: seededRandom(8) });
    expect(a.injectAtMs).toBe(b.injectAtMs);
    expect(a.injectAtMs).not.toBe(c.injectAtMs);
    for (const p of [a, c]) {
      expect(p.injectAtMs).toBeGreaterThanOrEqual(30_000);
      expect(p.injectAtMs).toBeLessThanOrEqual(120_000);
      expect(p.experiment.spec.faults[0]?.at).toBe(p.injectAtMs);
      expect(
        (p.experiment.spec.faults[0]?.at ?? 0) + (p.experiment.spec.faults[0]?.for ?? 0),
      ).toBeGreaterThan(p.timeLimitMs);
    }
    const short = planDrill(drill, {
      random: seededRandom(7),
      timeLimitMs: 20_000,
      window: { fromMs: 2_000, toMs: 3_000 },
    });
    expect(short.injectAtMs).toBeGreaterThanOrEqual(2_000);
    expect(short.injectAtMs).toBeLessThanOrEqual(3_000);
  });
});

describe("drill files reach only what the targets file allows (as experiments do)", () => {
  const targets = loadTargetsText(
    `apiVersion: gameday/v1
kind: Targets
targets:
  sandbox:
    vars: { GATEWAY_URL: "http://127.0.0.1:18080" }
    toxiproxy: { url: "http://127.0.0.1:8474", proxies: [orders, payments, risk] }
    prometheus: { url: "http://127.0.0.1:19090" }
    scrape: { orders: "http://127.0.0.1:18081/metrics" }
    scrapeAuth: { bearer: { env: GD_TEST_SCRAPE_TOKEN } }
    app:
      services:
        risk: { control: "http://127.0.0.1:19783", token: { file: .gameday/sandbox/control-token } }
`,
    "targets.yaml",
  );
  it("a steady-state http probe or scrape URL off the target's hosts is refused at its line, with nothing run", () => {
    const text = CHAIN.replace(
      "    - { name: checkout errors under 5%, source: load, metric: errorRatio, below: 0.05, over: 5s }",
      [
        "    - { name: metadata, http: { url: 'http://169.254.169.254/latest' }, equals: 200, over: 5s }",
        "    - { name: exfil, scrape: { target: 'http://203.0.113.9:9999/metrics', metric: up }, below: 1, over: 5s }",
        "    - { name: unknown scrape name, scrape: { target: billing, metric: up }, below: 1, over: 5s }",
      ].join("\n"),
    );
    let issues: { path: string; line?: number | undefined; message: string }[] = [];
    try {
      loadDrillText(text, "drill.yaml", { targets });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      issues = err.issues;
    }
    // (an unknown scrape name is also reported by the target-reference check: one place each, deduplicated)
    const unique = [...new Map(issues.map((i) => [i.path, [i.path, i.line]])).values()];
    expect(unique).toEqual([
      ["spec.steadyState[1].http.url", lineOf(text, "name: metadata")],
      ["spec.steadyState[2].scrape.target", lineOf(text, "name: exfil")],
      ["spec.steadyState[3].scrape.target", lineOf(text, "name: unknown scrape name")],
    ]);
  });
});
