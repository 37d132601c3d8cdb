import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { runShellStep } from "./step-shell.js";

const lines = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

/** The keys of a GitLab job the local runner understands; any other key is refused, not ignored. */
export const gitlabJobSchema = z.strictObject({
  extends: z.string().optional(),
  image: z.string().optional(),
  stage: z.string().optional(),
  variables: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
    .optional(),
  before_script: lines.optional(),
  script: lines.optional(),
  after_script: lines.optional(),
  rules: z.array(z.unknown()).optional(),
  resource_group: z.string().optional(),
  timeout: z.string().optional(),
  artifacts: z
    .strictObject({
      when: z.enum(["on_success", "on_failure", "always"]).optional(),
      expire_in: z.string().optional(),
      name: z.string().optional(),
      paths: z.array(z.string()).optional(),
      reports: z.strictObject({ junit: lines.optional() }).optional(),
    })
    .optional(),
});
export type GitlabJob = z.infer<typeof gitlabJobSchema>;

export interface LocalGitlabOptions {
  /** The template file (ci/gitlab/gameday.gitlab-ci.yml). */
  template: string;
  /** The user's job, as in their .gitlab-ci.yml: `{ extends: ".gameday", variables: {...} }`. */
  job: unknown;
  /** CI_PROJECT_DIR: the project's checkout, where the job runs. */
  projectDir: string;
  /** Project or pipeline variables: these win over the YAML's, as in GitLab. */
  variables?: Record<string, string>;
  log?: (text: string) => void;
  timeoutMs?: number;
}

export interface LocalGitlabResult {
  /** The job's exit code: before_script and script's (after_script never changes it). */
  exitCode: number;
  afterScriptExitCode: number;
  /** The job after `extends`, with its variables expanded. */
  job: GitlabJob;
  variables: Record<string, string>;
  /** Every artifact path (paths and reports) after expansion, each checked to exist and not be empty. */
  artifacts: { path: string; ok: boolean }[];
  /** The image's node major matches the node on PATH (when the image is node:<major>...). */
  imageCheck: string;
}

/** `extends:` as GitLab merges it: hashes deep-merged, everything else (arrays too) replaced. */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    const isHash = (x: unknown): x is Record<string, unknown> =>
      typeof x === "object" && x !== null && !Array.isArray(x);
    out[k] = isHash(b) && isHash(v) ? merge(b, v) : v;
  }
  return out;
}

function resolveJob(jobs: Record<string, unknown>, job: unknown, depth = 0): Record<string, unknown> {
  if (depth > 10) throw new Error("extends: nested more than 10 deep");
  const j = job as Record<string, unknown>;
  if (typeof j.extends !== "string") return j;
  const parent = jobs[j.extends];
  if (parent === undefined) throw new Error(`extends: ${j.extends} is not a job of the template`);
  const { extends: _, ...own } = j;
  return merge(resolveJob(jobs, parent, depth + 1), own);
}

/** `$NAME` and `${NAME}` as GitLab expands them in variables and artifact paths (unknown: empty). */
function expand(text: string, vars: Record<string, string>): string {
  return text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_, a?: string, b?: string) => vars[a ?? b ?? ""] ?? "",
  );
}

function nonEmpty(path: string): boolean {
  if (!existsSync(path)) return false;
  const s = statSync(path);
  return s.isDirectory() ? readdirSync(path).length > 0 : s.size > 0;
}

function imageCheck(image: string | undefined): string {
  const m = /^node:(\d+)/.exec(image ?? "");
  if (!m) return `image ${image ?? "(none)"}: not checked`;
  const have = execFileSync("node", ["-p", "process.versions.node"]).toString().trim();
  if (have.split(".")[0] !== m[1])
    throw new Error(`image ${image}: node ${have} on PATH is not node ${m[1]}`);
  return `image ${image}: node ${have} on PATH`;
}

/**
 * Runs a job of a GitLab CI template on this machine, as a shell runner would: `extends` resolved,
 * variables merged (pipeline over job over template) and expanded, before_script and script in one
 * bash (stopping at the first failing line), after_script in a second one whatever happened, then
 * every artifact path checked. `image:` is checked against the node on PATH rather than pulled.
 */
export async function runGitlabJobLocally(opts: LocalGitlabOptions): Promise<LocalGitlabResult> {
  const projectDir = resolve(opts.projectDir);
  const log = opts.log ?? ((t: string) => process.stderr.write(t));
  const jobs = parse(readFileSync(opts.template, "utf8")) as Record<string, unknown>;
  const job = gitlabJobSchema.parse(resolveJob(jobs, opts.job));
  const predefined: Record<string, string> = {
    CI: "true",
    GITLAB_CI: "true",
    CI_PROJECT_DIR: projectDir,
    CI_JOB_NAME: "gameday",
  };
  const variables: Record<string, string> = { ...predefined };
  for (const [k, v] of Object.entries({ ...job.variables, ...opts.variables }))
    variables[k] = expand(v, variables);
  const image = imageCheck(job.image);
  const env = { ...(process.env as Record<string, string>), ...variables };
  const timeoutMs = opts.timeoutMs ?? 900_000;
  log(`\n== before_script + script\n`);
  const main = [...(job.before_script ?? []), ...(job.script ?? [])].join("\n");
  const exitCode = await runShellStep({ script: main, cwd: projectDir, env, log, timeoutMs });
  log(`== script: exit ${exitCode}\n\n== after_script\n`);
  const after = (job.after_script ?? []).join("\n");
  const afterScriptExitCode =
    after === "" ? 0 : await runShellStep({ script: after, cwd: projectDir, env, log, timeoutMs });
  log(`== after_script: exit ${afterScriptExitCode}\n`);
  const when = job.artifacts?.when ?? "on_success";
  const uploads = when === "always" || (when === "on_success") === (exitCode === 0);
  const declared = [...(job.artifacts?.paths ?? []), ...(job.artifacts?.reports?.junit ?? [])];
  const artifacts = uploads
    ? declared.map((p) => {
        const path = join(projectDir, expand(p, variables));
        return { path, ok: nonEmpty(path) };
      })
    : [];
  return { exitCode, afterScriptExitCode, job, variables, artifacts, imageCheck: image };
}

/** `node dist/scripts/ci/run-gitlab-job-locally.js [--project-dir d] [--variable K=V]...` runs `extends: .gameday`. */
async function main(argv: string[]): Promise<number> {
  const variables: Record<string, string> = {};
  let projectDir = ".";
  for (let i = 0; i < argv.length; i += 2) {
    const [arg, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${arg} needs a value`);
    if (arg === "--project-dir") projectDir = value;
    else if (arg === "--variable" && value.indexOf("=") > 0)
      variables[value.slice(0, value.indexOf("="))] = value.slice(value.indexOf("=") + 1);
    else throw new Error(`unknown argument ${arg} ${value}`);
  }
  const template = new URL("../../../ci/gitlab/gameday.gitlab-ci.yml", import.meta.url).pathname;
  const r = await runGitlabJobLocally({ template, job: { extends: ".gameday" }, projectDir, variables });
  process.stderr.write(
    `\n${r.imageCheck}\n${r.artifacts.map((a) => `${a.ok ? "ok" : "MISSING"} ${a.path}`).join("\n")}\n`,
  );
  return r.artifacts.every((a) => a.ok) ? r.exitCode : r.exitCode || 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`run-gitlab-job-locally: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    },
  );
}
