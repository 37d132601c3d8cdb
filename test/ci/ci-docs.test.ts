import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readActionFile } from "../../scripts/ci/action-file.js";
import { gitlabJobSchema } from "../../scripts/ci/run-gitlab-job-locally.js";
import { REPO } from "../support/cli.js";

const DOC = readFileSync(`${REPO}docs/ci.md`, "utf8");
const action = readActionFile(`${REPO}action.yml`);
const template = parse(readFileSync(`${REPO}ci/gitlab/gameday.gitlab-ci.yml`, "utf8")) as Record<
  string,
  { variables: Record<string, string> }
>;
const templateVariables = Object.keys(template[".gameday"]?.variables ?? {});
const blocks = [...DOC.matchAll(/```yaml\n(.*?)```/gs)].map(
  (m) => parse(m[1] ?? "") as Record<string, unknown>,
);

type Step = { uses?: string; with?: Record<string, unknown> };
const gamedaySteps = blocks.flatMap((b) => {
  const steps = Array.isArray(b)
    ? (b as Step[])
    : Object.values((b.jobs ?? {}) as Record<string, { steps: Step[] }>).flatMap((j) => j.steps);
  return steps.filter((s) => /\/gameday@/.test(s.uses ?? ""));
});
const gitlabJobs = blocks.flatMap((b) =>
  Object.values(b).filter(
    (j): j is { extends: string; variables?: Record<string, string> } =>
      typeof j === "object" && j !== null && (j as { extends?: unknown }).extends === ".gameday",
  ),
);

/** The first column of a Markdown table whose header starts with `header`, backticks removed. */
function tableColumn(header: string): string[] {
  const start = DOC.indexOf(`| ${header} |`);
  expect(start, header).toBeGreaterThan(-1);
  const lines = DOC.slice(start).split("\n").slice(2);
  const end = lines.findIndex((l) => !l.startsWith("|"));
  return lines
    .slice(0, end === -1 ? undefined : end)
    .map((l) => l.split("|")[1]?.trim() ?? "")
    .flatMap((c) => c.split(", ").map((n) => n.replace(/`/g, "")));
}

describe("docs/ci.md matches action.yml and the GitLab template", () => {
  it("documents every input and output of the action, with its default", () => {
    expect(tableColumn("input").sort()).toEqual(Object.keys(action.inputs).sort());
    expect(tableColumn("output").sort()).toEqual(Object.keys(action.outputs).sort());
    for (const [name, spec] of Object.entries(action.inputs)) {
      const row = DOC.split("\n").find((l) => l.startsWith(`| \`${name}\` |`)) ?? "";
      expect(row, name).toContain(spec.default ? `| \`${spec.default}\` |` : "| (none) |");
    }
  });

  it("documents every variable of the template", () => {
    expect(tableColumn("variable").sort()).toEqual([...templateVariables].sort());
  });

  it("every example passes only inputs the action has, and extends .gameday with variables it has", () => {
    expect(gamedaySteps.length).toBeGreaterThanOrEqual(4);
    for (const s of gamedaySteps)
      expect(Object.keys(s.with ?? {}).filter((k) => !(k in action.inputs))).toEqual([]);
    expect(gitlabJobs.length).toBeGreaterThanOrEqual(2);
    for (const j of gitlabJobs) {
      expect(() => gitlabJobSchema.parse(j)).not.toThrow();
      expect(Object.keys(j.variables ?? {}).filter((k) => !templateVariables.includes(k))).toEqual([]);
    }
  });
});
