import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, REPO, runCli } from "../support/cli.js";
import { DEAD_TARGETS_TEXT, scratchFiles } from "../support/scratch-files.js";

const { dir, write } = scratchFiles("gameday-cli-usability-");

/** Nothing listens on port 1: every endpoint of this target is unreachable. */
const DEAD_TARGETS = write("dead-targets.yaml", DEAD_TARGETS_TEXT);

const EVERY_SEMANTICS = write(
  "semantics.yaml",
  `apiVersion: gameday/v1
kind: Experiment
metadata: { name: semantics }
spec:
  target: dead
  load: { url: "\${APP_URL}/", rate: 5, timeout: 500ms }
  steadyState:
    - { name: error ratio low, source: load, metric: errorRatio, below: 0.01, over: 2s }
  faults:
    - { name: slow-db, at: 2s, for: 20s, toxiproxy: { proxy: db, toxic: latency, latency: 500ms } }
    - { name: cache-down, at: 5s, for: 10s, toxiproxy: { proxy: cache, toxic: outage } }
  expect:
    - { name: always, source: load, metric: errorRatio, below: 0.05, during: slow-db }
    - { name: eventually, promql: up, equals: 1, within: 10s, during: slow-db }
    - { name: at the end, scrape: { target: app, metric: x }, atLeast: 1, at: end }
    - { name: recovered, source: load, metric: p95, atMost: 300, recoveredWithin: 15s }
    - { name: whole method, scrape: { target: app, metric: y }, above: 0 }
  recovery: { within: 20s }
`,
);

describe("gameday plan", () => {
  it("shows each expectation's comparator, threshold, time semantics and window", async () => {
    const res = await runCli(["plan", "--targets", DEAD_TARGETS, EVERY_SEMANTICS]);
    const lines = res.stdout.split("\n");
    const line = (name: string) => lines.find((l) => l.includes(`expect: ${name}:`)) ?? "";
    expect(line("always")).toContain(
      "load errorRatio < 0.05; always: every sample during fault slow-db, +2s..+22s",
    );
    expect(line("eventually")).toContain(
      "promql up == 1; eventually: at least once within 10s of the start of fault slow-db, +2s..+12s",
    );
    expect(line("at the end")).toContain("scrape sum(x) from app >= 1; at end: once at +22s");
    expect(line("recovered")).toContain(
      "load p95 <= 300 ms; recovered: holds again within 15s after the verified rollback",
    );
    expect(line("whole method")).toContain("always: every sample during the method, +0s..+22s");
  });

  it("lists every preflight problem at once and exits 4, instead of stopping at the first", async () => {
    const res = await runCli(["plan", "--targets", DEAD_TARGETS, EVERY_SEMANTICS]);
    expect(res.code, res.stderr).toBe(4);
    const problems = res.stdout.split("\n").filter((l) => l.trim().startsWith("✗"));
    const text = problems.join("\n");
    // Each fault's proxy on the dead Toxiproxy, by fault name.
    expect(text).toContain('fault "slow-db": Toxiproxy at http://127.0.0.1:1 does not answer');
    expect(text).toContain('fault "cache-down": Toxiproxy at http://127.0.0.1:1 does not answer');
    expect(text).toContain("Prometheus at http://127.0.0.1:1 is not reachable");
    expect(text).toContain("load target http://127.0.0.1:1/ is not reachable");
    expect(problems.length).toBe(4);
    expect(res.stdout).toContain("preflight would fail (4 problems)");
  });
});

describe("gameday validate", () => {
  it("accepts every kind and validates each by its own schema", async () => {
    const ok = await runCli(["validate", "targets.yaml", "gamedays/demo.yaml", "docs/examples/targets.yaml"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("✓ targets.yaml");
    expect(ok.stdout).toContain("✓ docs/examples/targets.yaml");
    // The game day's members are validated too, each on its own line, and counted.
    const checked = ok.stdout.split("\n").filter((l) => l.startsWith("✓ "));
    for (const member of ["payments-latency.yaml", "payments-direct-risk-failures.yaml"])
      expect(checked.some((l) => l.endsWith(`/experiments/${member}`))).toBe(true);
    expect(checked.length).toBeGreaterThan(3);
    expect(ok.stdout).toContain(`${checked.length} valid, 0 invalid`);
    const badTargets = write(
      "bad-targets.yaml",
      "apiVersion: gameday/v1\nkind: Targets\ntargets:\n  s:\n    toxiproxy: { url: nope, proxies: [a] }\n    spec: {}\n",
    );
    const badGameDay = write(
      "bad-gameday.yaml",
      "apiVersion: gameday/v1\nkind: GameDay\nmetadata: { name: g }\nspec: {}\n",
    );
    const res = await runCli(["validate", badTargets, badGameDay]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("bad-targets.yaml:5:23: targets.s.toxiproxy.url: expected an http(s) URL");
    expect(res.stderr).toMatch(
      /bad-targets\.yaml:6:5: targets\.s\.spec: unknown field "spec": expected one of description, vars, env/,
    );
    expect(res.stderr).toContain(
      'bad-gameday.yaml:4:1: spec.experiments: missing required field "experiments"',
    );
    expect(res.stderr).not.toContain('expected kind "Experiment"');
  });

  it("reports schema and reference errors of a file in one pass", async () => {
    const file = write(
      "both.yaml",
      `apiVersion: gameday/v1
kind: Experiment
metadata: { name: both }
spec:
  target: dead
  faults:
    - { name: thin-pipe, for: 20, toxiproxy: { proxy: db, toxic: bandwidth, rate: 10 } }
  expect:
    - { name: x, promql: up, below: 1, during: thin_pipe }
`,
    );
    const res = await runCli(["validate", "--targets", DEAD_TARGETS, file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("both.yaml:7:31: spec.faults[0].for: expected a duration with a unit");
    expect(res.stderr).toContain(
      'both.yaml:9:48: spec.expect[0].during: expected the name of a fault (thin-pipe), found "thin_pipe"; did you mean "thin-pipe"?',
    );
  });

  it("warns (exit 0) about legal but suspicious values, and not about the demo's files", async () => {
    const file = write(
      "suspicious.yaml",
      `apiVersion: gameday/v1
kind: Experiment
metadata: { name: suspicious }
spec:
  target: dead
  load: { url: "\${APP_URL}/", rate: 5 }
  faults:
    - { name: short, for: 20s, toxiproxy: { proxy: db, toxic: latency, latency: 1s } }
  expect:
    - { name: late, source: load, metric: errorRatio, below: 0.05, during: short, within: 30s }
    - { name: percent, source: load, metric: errorRatio, below: 5, during: short }
    - { name: negative, source: load, metric: p95, above: -10, during: short }
  abortWhen:
    - { source: load, metric: successRatio, above: 1.5 }
`,
    );
    const res = await runCli(["validate", "--targets", DEAD_TARGETS, file]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("1 valid, 0 invalid, 4 warnings");
    expect(res.stderr).toContain(
      `warning: ${file}:10:91: spec.expect[0].within: within 30s is longer than fault short (20s)`,
    );
    expect(res.stderr).toContain(
      "spec.expect[1].below: errorRatio is a ratio from 0 to 1: below 5 always holds (did you mean 0.05, i.e. 5%?)",
    );
    expect(res.stderr).toContain(
      "spec.expect[2].above: p95 is a latency in milliseconds, never negative: above -10 always holds",
    );
    expect(res.stderr).toContain(
      "spec.abortWhen[0].above: successRatio is a ratio from 0 to 1: above 1.5 never holds",
    );
    for (const args of [
      ["gamedays/demo.yaml"],
      ["docs/examples/ci-gameday.yaml", "--targets", "docs/examples/targets.yaml"],
    ]) {
      const clean = await runCli(["validate", ...args]);
      expect(clean.code, clean.stderr).toBe(0);
      expect(clean.stderr).not.toContain("warning");
    }
  });
});

describe("the CLI's edges", () => {
  it("exits quietly when stdout closes early (gameday schema | head)", async () => {
    const child = spawn(process.execPath, [CLI, "schema", "--kind", "targets"], { cwd: REPO });
    child.stdout.destroy(); // the reader is gone before the first write
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it("carries on to its own end and exit code when stdout closed (a run must still roll back)", async () => {
    const bad = write(
      "closed-pipe.yaml",
      "apiVersion: gameday/v1\nkind: Experiment\nmetadata: { name: x }\nspec: {}\n",
    );
    const child = spawn(process.execPath, [CLI, "validate", bad, "gamedays/demo.yaml"], { cwd: REPO });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('spec.target: missing required field "target"');
    expect(stderr).not.toContain("EPIPE");
  });

  it("an unknown command exits 2 even with --help; known commands keep their help", async () => {
    for (const args of [["bogus", "--help"], ["bogus"], ["sandbox", "bogus", "--help"], ["-h", "bogus"]]) {
      const res = await runCli(args);
      expect(res.code, args.join(" ")).toBe(2);
      expect(res.stderr).toContain("unknown command 'bogus'");
    }
    for (const args of [["--help"], ["validate", "--help"], ["sandbox", "--help"], ["help", "plan"]]) {
      const res = await runCli(args);
      expect(res.code, args.join(" ")).toBe(0);
      expect(res.stdout).toContain("Usage: gameday");
    }
  });
});

describe("gameday sandbox status", () => {
  // Port offset 6000 is this suite's own: no sandbox runs there, so every component is down.
  const env = { GAMEDAY_SANDBOX_PORT_OFFSET: "6000" };
  const stateDir = join(dir, "state");

  it("prints a table and exits 1 when the stack is not healthy", async () => {
    const res = await runCli(["sandbox", "status", "--state-dir", stateDir], { env });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^COMPONENT\s+STATE\s+PID\s+ENDPOINT\s+DETAIL$/m);
    expect(res.stdout).toMatch(/^toxiproxy\s+down\s+-\s+http:\/\/127\.0\.0\.1:14474/m);
    expect(res.stdout).toMatch(/^gateway\s+down\s+-\s+http:\/\/127\.0\.0\.1:24080/m);
    expect(res.stdout).toContain("not healthy: ");
    expect(res.stdout.split("\n").length).toBeLessThan(20);
  });

  it("--json prints the full status, with the same exit code", async () => {
    const res = await runCli(["sandbox", "status", "--json", "--state-dir", stateDir], { env });
    expect(res.code).toBe(1);
    const status = JSON.parse(res.stdout);
    expect(status.components.every((c: { healthy: boolean }) => !c.healthy)).toBe(true);
    expect(status.endpoints.toxiproxyUrl).toBe("http://127.0.0.1:14474");
  });
});
