import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { actionInjectionHoles, unquotedExpansions } from "../../scripts/ci/injection-holes.js";
import { REPO } from "../support/cli.js";

const ACTION = readFileSync(`${REPO}action.yml`, "utf8");
const TEMPLATE = readFileSync(`${REPO}ci/gitlab/gameday.gitlab-ci.yml`, "utf8");
const SCRIPT = readFileSync(`${REPO}ci/gameday-ci.sh`, "utf8");

describe("CI inputs never become shell code", () => {
  it("action.yml has no expression inside any run: script (inputs reach the shell through env:)", () => {
    expect(actionInjectionHoles(ACTION)).toEqual([]);
  });

  it("the check finds an input pasted into a run: script", () => {
    const holed = ACTION.replace(
      'run: bash "$GITHUB_ACTION_PATH/ci/gameday-ci.sh" run || true',
      `run: bash "$GITHUB_ACTION_PATH/ci/gameday-ci.sh" run \${{ inputs.files }} || true`,
    );
    expect(holed).not.toBe(ACTION);
    expect(actionInjectionHoles(holed)).toEqual([`step 4 (Run gameday): \${{ inputs.files }} inside run:`]);
    const block = ACTION.replace(
      'if [ -z "$GAMEDAY_CI_EXIT_CODE" ]',
      `echo "\${{ steps.run.outputs.verdict }}"\n        if [ -z "$GAMEDAY_CI_EXIT_CODE" ]`,
    );
    expect(actionInjectionHoles(block)).toHaveLength(1);
  });

  it("every input the steps read is declared, and every declared input is passed to a step", () => {
    const doc = parse(ACTION) as {
      inputs: Record<string, unknown>;
      runs: { steps: Array<{ env?: Record<string, string>; with?: Record<string, string>; if?: string }> };
    };
    const used = new Set([...ACTION.matchAll(/inputs\.([A-Za-z0-9_-]+)/g)].map((m) => m[1] as string));
    expect([...used].filter((u) => !(u in doc.inputs))).toEqual([]);
    expect(Object.keys(doc.inputs).filter((i) => !used.has(i))).toEqual([]);
  });

  it("the GitLab template quotes every variable it expands in its scripts", () => {
    const job = (parse(TEMPLATE) as Record<string, Record<string, string[]>>)[".gameday"] ?? {};
    const lines = [...(job.before_script ?? []), ...(job.script ?? []), ...(job.after_script ?? [])];
    expect(lines.length).toBeGreaterThan(3);
    expect(unquotedExpansions(lines)).toEqual([]);
    expect(unquotedExpansions(["bash $GAMEDAY_CI_HOME/ci/gameday-ci.sh run"])).toEqual([
      "bash $GAMEDAY_CI_HOME/ci/gameday-ci.sh run: unquoted $GAMEDAY_CI_HOME",
    ]);
    expect(unquotedExpansions(["bash \"$GAMEDAY_CI_HOME/x\" '$NOT_EXPANDED'"])).toEqual([]);
  });

  it("the shared step script never evaluates an input", () => {
    expect(SCRIPT).not.toMatch(/\beval\b|bash -c|sh -c/);
  });
});
