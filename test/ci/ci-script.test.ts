import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readCommandFile } from "../../scripts/ci/github-files.js";
import { REPO } from "../support/cli.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** ci/gameday-ci.sh as a CI step calls it, in an empty folder, with GitHub's files. */
function step(command: string, env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "gameday-ci-script-"));
  dirs.push(dir);
  const files = { GITHUB_OUTPUT: join(dir, "output"), GITHUB_STEP_SUMMARY: join(dir, "summary") };
  for (const f of Object.values(files)) writeFileSync(f, "");
  const res = spawnSync("bash", [`${REPO}ci/gameday-ci.sh`, command], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: "1", ...files, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return {
    dir,
    code: res.status,
    stderr: res.stderr,
    outputs: readCommandFile(files.GITHUB_OUTPUT),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, "utf8"),
  };
}

describe("ci/gameday-ci.sh, the steps the action and the GitLab template share", () => {
  it("no files and no sandbox: a usage error (exit 2), recorded as the step's verdict", () => {
    const r = step("run", { GAMEDAY_CI_FILES: " \n " });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no experiment or game-day files given");
    expect(r.outputs).toEqual({
      verdict: "invalid",
      "exit-code": "2",
      "report-dir": join(r.dir, "reports/gameday"),
    });
  });

  it("file names are data: a command substitution is never run, gameday refuses the file (exit 2)", () => {
    const r = step("run", {
      GAMEDAY_CI_FILES: "$(touch PWNED) `touch PWNED2`;touch PWNED3",
      GAMEDAY_CI_ARGS: "--quiet $(touch PWNED4)",
      GAMEDAY_CI_VARS: "latency=$(touch PWNED5)",
      GAMEDAY_CI_TARGETS: `${REPO}targets.yaml`,
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("$(touch: cannot read the experiment file");
    for (const f of ["PWNED", "PWNED2", "PWNED3", "PWNED4", "PWNED5"])
      expect(existsSync(join(r.dir, f))).toBe(false);
    expect(r.outputs.verdict).toBe("invalid");
  });

  it("a glob that matches nothing is passed as written, so gameday names it", () => {
    const r = step("run", {
      GAMEDAY_CI_FILES: "experiments/*.nomatch",
      GAMEDAY_CI_TARGETS: `${REPO}targets.yaml`,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("experiments/*.nomatch");
  });

  it("sandbox must be true or false", () => {
    const r = step("sandbox-up", { GAMEDAY_CI_SANDBOX: "maybe" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("sandbox must be true or false, got 'maybe'");
    const run = step("run", { GAMEDAY_CI_SANDBOX: "yes", GAMEDAY_CI_FILES: "x.yaml" });
    expect(run.code).toBe(2);
    expect(run.outputs.verdict).toBe("invalid");
  });

  it("the summary says so when gameday did not run, and carries a report when it did", () => {
    expect(step("summary", {}).summary).toContain("### gameday did not run");
    const r = step("summary", { GAMEDAY_CI_EXIT_CODE: "4", GAMEDAY_CI_REPORT_DIR: "nowhere" });
    expect(r.summary).toContain("### gameday: not-run (exit 4)");
    expect(r.summary).toContain("gameday wrote no report");
  });
});
