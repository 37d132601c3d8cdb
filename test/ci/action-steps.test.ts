import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalActionResult, runActionLocally } from "../../scripts/ci/run-action-locally.js";
import { runGitlabJobLocally } from "../../scripts/ci/run-gitlab-job-locally.js";
import { sandboxDown, sandboxStatus } from "../../src/sandbox/sandbox-stack.js";
import { ACTION_STEPS_DELTA } from "../lanes.js";
import { REPO } from "../support/cli.js";
import { shiftTargetsText } from "../support/shift-targets.js";

/**
 * The GitHub Action and the GitLab template, run step by step on this machine (scripts/ci) in a
 * clean checkout of HEAD: `npm ci` for real (npm's offline mode: the local cache holds every package
 * of the lock, so nothing reaches the network), the build, the demo sandbox up and down, the demo
 * game day passing, and a removed countermeasure failing with exit 1 and every report still written.
 * Its sandboxes run on ports of their own (the sandbox's defaults plus ACTION_STEPS_DELTA, over any
 * $GAMEDAY_SANDBOX_PORT_OFFSET) with a targets file moved the same way, so they never meet the
 * stack the other integration tests share.
 */
const DEMO_MS = 900_000;
const SHORT_MS = 600_000;
const offset = Number(process.env.GAMEDAY_SANDBOX_PORT_OFFSET ?? "0") + ACTION_STEPS_DELTA;
const experiments = readFileSync(`${REPO}gamedays/demo.yaml`, "utf8").match(
  /^ {4}- \.\.\/experiments\//gm,
)?.length;

let checkout = "";
let scratch = "";
const env = { npm_config_offline: "true", NO_COLOR: "1", GAMEDAY_SANDBOX_PORT_OFFSET: String(offset) };
const runnerDirs: string[] = [];
const logs: Record<string, string> = {};
const logInto = (name: string) => (text: string) => {
  logs[name] = (logs[name] ?? "") + text;
};

/** The checkout's targets.yaml moved by the port offset (a private copy under .gameday/). */
function targetsFile(): string {
  const text = shiftTargetsText(readFileSync(join(checkout, "targets.yaml"), "utf8"), offset);
  mkdirSync(join(checkout, ".gameday"), { recursive: true });
  writeFileSync(join(checkout, ".gameday", "targets-offset.yaml"), text);
  return join(checkout, ".gameday", "targets-offset.yaml");
}

function nonEmptyFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile() && statSync(path).size > 0;
}

async function sandboxStopped(workdir: string): Promise<void> {
  // The steps' ports (the offset), not the defaults, where the shared stack of the other tests may run.
  const status = await sandboxStatus({ stateDir: join(workdir, ".gameday", "sandbox"), portOffset: offset });
  expect(status.components.filter((c) => c.running).map((c) => c.name)).toEqual([]);
}

function stepsRan(r: LocalActionResult): string[] {
  return r.steps.map(
    (s) => `${s.name}: ${s.ran ? (s.exitCode === 0 ? "ok" : `exit ${s.exitCode}`) : "skipped"}`,
  );
}

describe("the CI integrations run the demo game day in a clean checkout", () => {
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), "gameday-ci-"));
    checkout = join(scratch, "gameday");
    const head = execFileSync("git", ["-C", REPO, "rev-parse", "HEAD"]).toString().trim();
    execFileSync("git", ["clone", "--quiet", "--no-checkout", REPO, checkout]);
    execFileSync("git", ["-C", checkout, "checkout", "--quiet", head]);
    expect(existsSync(join(checkout, "node_modules"))).toBe(false);
  });

  afterAll(async () => {
    // A failed assertion must not leave a stack behind: stop whatever the steps left running.
    for (const dir of [checkout, join(scratch, "user-repo")])
      if (existsSync(join(dir, ".gameday", "sandbox")))
        await sandboxDown({ stateDir: join(dir, ".gameday", "sandbox"), portOffset: offset });
    for (const dir of [scratch, ...runnerDirs]) rmSync(dir, { recursive: true, force: true });
  });

  it(
    "GitHub Action: npm ci, build, sandbox up, the demo game day passes (exit 0), summary, reports, sandbox down",
    async () => {
      const r = await runActionLocally({
        actionDir: checkout,
        workspace: checkout,
        inputs: { files: "gamedays/demo.yaml", targets: targetsFile(), sandbox: "true", args: "--quiet" },
        env,
        log: logInto("action-pass"),
      });
      runnerDirs.push(r.runnerDir);
      const log = logs["action-pass"] ?? "";
      expect(r.exitCode, log.slice(-4000)).toBe(0);
      expect(stepsRan(r)).toEqual([
        "Set up Node.js: ok",
        "Install gameday: ok",
        "Start the demo sandbox: ok",
        "Run gameday: ok",
        "Write the job summary: ok",
        "Upload the JUnit and HTML reports: ok",
        "Stop the demo sandbox: ok",
        "Exit with gameday's exit code: ok",
      ]);
      expect(log).toContain("npm ci (attempt 1");
      expect(existsSync(join(checkout, "node_modules", ".gameday-lock-hash"))).toBe(true);
      const reportDir = join(checkout, "reports", "gameday");
      expect(r.outputs).toEqual({ verdict: "passed", "exit-code": "0", "report-dir": reportDir });
      expect(r.summary).toContain("### gameday: passed (exit 0)");
      expect(r.summary).toContain(`${experiments} of ${experiments} experiments passed.`);
      expect(r.summary).toContain("## orders-hang-gateway-timeout: ✅ passed");
      for (const f of ["junit.xml", "report.html", "report.md", "report.json"])
        expect(nonEmptyFile(join(reportDir, f)), f).toBe(true);
      expect(readFileSync(join(reportDir, "junit.xml"), "utf8")).toMatch(/<testsuites [^>]*failures="0"/);
      expect(readFileSync(join(reportDir, "report.html"), "utf8")).toContain("<html");
      expect(r.steps.find((s) => s.name.startsWith("Upload"))?.detail).toContain("artifact gameday-reports");
      await sandboxStopped(checkout);
    },
    DEMO_MS,
  );

  it(
    "GitHub Action from another repository: a removed countermeasure fails the job with exit 1, reports still written",
    async () => {
      // The caller's own checkout (`uses: owner/gameday@v1`): gameday lives in the action's path.
      const userRepo = join(scratch, "user-repo");
      mkdirSync(userRepo);
      const r = await runActionLocally({
        actionDir: checkout,
        workspace: userRepo,
        inputs: {
          files: join(checkout, "experiments", "orders-hang-gateway-timeout.yaml"),
          targets: targetsFile(),
          sandbox: "true",
          "sandbox-break": "gateway-timeout",
          "report-dir": "out/chaos",
        },
        env,
        log: logInto("action-fail"),
      });
      runnerDirs.push(r.runnerDir);
      const log = logs["action-fail"] ?? "";
      expect(r.exitCode, log.slice(-4000)).toBe(1);
      expect(stepsRan(r).at(-1)).toBe("Exit with gameday's exit code: exit 1");
      expect(stepsRan(r).filter((s) => !s.endsWith(": ok"))).toEqual([
        "Exit with gameday's exit code: exit 1",
      ]);
      expect(log).not.toContain("npm ci (attempt"); // the lock did not change: the install is reused
      const reportDir = join(userRepo, "out", "chaos");
      expect(r.outputs).toEqual({ verdict: "failed", "exit-code": "1", "report-dir": reportDir });
      expect(r.summary).toContain("### gameday: failed (exit 1)");
      expect(r.summary).toContain(
        'expectation "the gateway times out its calls to orders and answers 504" failed',
      );
      expect(readFileSync(join(reportDir, "junit.xml"), "utf8")).toMatch(/<testsuites [^>]*failures="[1-9]/);
      expect(nonEmptyFile(join(reportDir, "report.html"))).toBe(true);
      expect(existsSync(join(userRepo, ".gameday", "runs"))).toBe(true);
      await sandboxStopped(userRepo);
    },
    SHORT_MS,
  );

  const template = () => join(checkout, "ci", "gitlab", "gameday.gitlab-ci.yml");

  it(
    "GitLab template: the demo game day passes (exit 0), JUnit and HTML artifacts written, sandbox down",
    async () => {
      const r = await runGitlabJobLocally({
        template: template(),
        job: {
          extends: ".gameday",
          variables: {
            GAMEDAY_CI_FILES: "gamedays/demo.yaml",
            GAMEDAY_CI_SANDBOX: "true",
            GAMEDAY_CI_ARGS: "--quiet",
          },
        },
        projectDir: checkout,
        variables: { GAMEDAY_CI_HOME: checkout, GAMEDAY_CI_TARGETS: targetsFile(), ...env },
        log: logInto("gitlab-pass"),
      });
      const log = logs["gitlab-pass"] ?? "";
      expect(r.exitCode, log.slice(-4000)).toBe(0);
      expect(r.afterScriptExitCode).toBe(0);
      expect(r.job.artifacts?.when).toBe("always");
      expect(r.artifacts).toEqual([
        { path: join(checkout, "reports", "gameday/"), ok: true },
        { path: join(checkout, "reports", "gameday", "junit.xml"), ok: true },
      ]);
      expect(log).toContain("[gameday-ci] verdict: passed (exit 0)");
      expect(nonEmptyFile(join(checkout, "reports", "gameday", "report.html"))).toBe(true);
      await sandboxStopped(checkout);
    },
    DEMO_MS,
  );

  it(
    "GitLab template: a removed countermeasure fails the job with exit 1, artifacts still written",
    async () => {
      const r = await runGitlabJobLocally({
        template: template(),
        job: {
          extends: ".gameday",
          variables: {
            GAMEDAY_CI_FILES: "experiments/orders-hang-gateway-timeout.yaml",
            GAMEDAY_CI_SANDBOX: "true",
            GAMEDAY_CI_SANDBOX_BREAK: "gateway-timeout",
            GAMEDAY_CI_REPORT_DIR: "reports/broken",
          },
        },
        projectDir: checkout,
        variables: { GAMEDAY_CI_HOME: checkout, GAMEDAY_CI_TARGETS: targetsFile(), ...env },
        log: logInto("gitlab-fail"),
      });
      const log = logs["gitlab-fail"] ?? "";
      expect(r.exitCode, log.slice(-4000)).toBe(1);
      expect(r.afterScriptExitCode).toBe(0);
      expect(r.artifacts.every((a) => a.ok)).toBe(true);
      expect(readFileSync(join(checkout, "reports", "broken", "junit.xml"), "utf8")).toMatch(
        /<testsuites [^>]*failures="[1-9]/,
      );
      expect(readFileSync(join(checkout, "reports", "broken", "report.md"), "utf8")).toContain(
        "## orders-hang-gateway-timeout: ❌ failed",
      );
      await sandboxStopped(checkout);
    },
    SHORT_MS,
  );
});
