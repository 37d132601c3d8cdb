import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { evaluate, stepCondition } from "../../scripts/ci/github-expression.js";
import { runActionLocally } from "../../scripts/ci/run-action-locally.js";
import { REPO } from "../support/cli.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * The real action.yml over a stub ci/gameday-ci.sh that pretends gameday exited with $STUB_CODE
 * (writing the reports only when $STUB_REPORTS is set): the local runner's own semantics, fast.
 */
function stubAction(edit: (yaml: string) => string = (y) => y): string {
  const dir = mkdtempSync(join(tmpdir(), "gameday-stub-action-"));
  dirs.push(dir);
  writeFileSync(join(dir, "action.yml"), edit(readFileSync(`${REPO}action.yml`, "utf8")));
  mkdirSync(join(dir, "ci"));
  cpSync(`${REPO}ci/gameday-ci.sh`, join(dir, "ci", "real.sh"));
  writeFileSync(
    join(dir, "ci", "gameday-ci.sh"),
    `set -euo pipefail
case "$1" in
  install|sandbox-up|sandbox-down) echo "stub $1" ;;
  summary) bash "$(dirname "$0")/real.sh" summary ;;
  run)
    dir="$GAMEDAY_CI_WORKDIR/$GAMEDAY_CI_REPORT_DIR"; mkdir -p "$dir"; dir="$(cd "$dir" && pwd)"
    if [ -n "\${STUB_REPORTS:-}" ]; then
      for f in junit.xml report.html report.json; do echo x > "$dir/$f"; done
      printf '# Game day report\\n\\nstub of %s\\n' "$GAMEDAY_CI_FILES" > "$dir/report.md"
    fi
    printf 'verdict=stub\\nexit-code=%s\\nreport-dir<<EOF\\n%s\\nEOF\\n' "$STUB_CODE" "$dir" >> "$GITHUB_OUTPUT"
    exit "$STUB_CODE" ;;
esac
`,
  );
  return dir;
}

async function run(actionDir: string, env: Record<string, string>, inputs: Record<string, string> = {}) {
  const r = await runActionLocally({
    actionDir,
    workspace: actionDir,
    inputs: { files: "x.yaml", ...inputs },
    env,
    log: () => {},
  });
  dirs.push(r.runnerDir);
  return r;
}

describe("the local runner of action.yml", () => {
  it("passes gameday's exit code through the last step, with outputs and the summary", async () => {
    const r = await run(stubAction(), { STUB_CODE: "1", STUB_REPORTS: "1" });
    expect(r.exitCode).toBe(1);
    expect(r.outputs["exit-code"]).toBe("1");
    expect(r.summary).toContain("### gameday: failed (exit 1)");
    expect(r.summary).toContain("stub of x.yaml");
    expect(r.steps.filter((s) => !s.ran).map((s) => s.name)).toEqual([
      "Start the demo sandbox",
      "Stop the demo sandbox",
    ]);
  });

  it("fails the upload check when a report the artifact names is missing", async () => {
    const r = await run(stubAction(), { STUB_CODE: "0" });
    const upload = r.steps.find((s) => s.name.startsWith("Upload"));
    expect(upload?.exitCode).toBe(1);
    expect(upload?.detail).toContain("missing or empty");
    expect(r.exitCode).toBe(1);
  });

  it("without the exit step a failed run would read as a green job (what action-steps.test.ts guards)", async () => {
    const noExit = stubAction((y) => y.slice(0, y.indexOf("    - name: Exit with gameday's exit code")));
    const r = await run(noExit, { STUB_CODE: "1", STUB_REPORTS: "1" });
    expect(r.exitCode).toBe(0);
  });

  it("checks setup-node against the node on PATH and refuses actions not pinned by major", async () => {
    const wrongNode = await run(
      stubAction(),
      { STUB_CODE: "0", STUB_REPORTS: "1" },
      { "node-version": "18" },
    );
    expect(wrongNode.steps[0]?.exitCode).toBe(1);
    expect(wrongNode.steps[0]?.detail).toContain("does not satisfy node-version 18");
    expect(wrongNode.summary).toContain("### gameday did not run");
    expect(wrongNode.exitCode).toBe(1); // the exit step: "gameday did not run"
    const unpinned = await run(
      stubAction((y) => y.replace("actions/setup-node@v6", "actions/setup-node@main")),
      {
        STUB_CODE: "0",
        STUB_REPORTS: "1",
      },
    );
    expect(unpinned.steps[0]?.detail).toContain("is not pinned by major");
    await expect(run(stubAction(), {}, { nosuch: "1" })).rejects.toThrow("not inputs of the action: nosuch");
  });

  it("evaluates expressions as GitHub does", () => {
    const ctx = {
      inputs: { sandbox: "TRUE", x: "" },
      steps: { run: { outputs: { a: "" } } },
      github: {},
      failed: true,
    };
    expect(stepCondition("inputs.sandbox == 'true'", ctx)).toBe(false); // implied success()
    expect(stepCondition("always() && inputs.sandbox == 'true'", ctx)).toBe(true);
    expect(evaluate("steps.run.outputs.a || inputs.sandbox", ctx)).toBe("TRUE");
    expect(evaluate("!(inputs.x != '')", ctx)).toBe(true);
    expect(() => evaluate("secrets.TOKEN", ctx)).toThrow("unsupported context");
    expect(() => evaluate("inputs.nosuch", ctx)).toThrow("not an input");
  });
});
