import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type ActionStep, readActionFile } from "./action-file.js";
import { type ExpressionContext, interpolate, stepCondition } from "./github-expression.js";
import { readCommandFile } from "./github-files.js";
import { runShellStep } from "./step-shell.js";
import { checkUses } from "./uses-checks.js";

export interface LocalActionOptions {
  /** The folder holding action.yml: GITHUB_ACTION_PATH, where the action installs gameday. */
  actionDir: string;
  /** GITHUB_WORKSPACE: the caller's checkout, where steps run. */
  workspace: string;
  /** The `with:` of the calling workflow step; unset inputs take action.yml's defaults. */
  inputs: Record<string, string>;
  /** Added to every step's environment (process.env is the base). */
  env?: Record<string, string>;
  log?: (text: string) => void;
  stepTimeoutMs?: number;
}

export interface StepRecord {
  name: string;
  kind: "run" | "uses";
  ran: boolean;
  exitCode?: number;
  detail?: string;
  durationMs: number;
}

export interface LocalActionResult {
  /** The exit code of the last step that failed (the job's failure), 0 when none did. */
  exitCode: number;
  /** The action's outputs, evaluated as a caller's `steps.<id>.outputs` would see them. */
  outputs: Record<string, string>;
  steps: StepRecord[];
  /** GITHUB_STEP_SUMMARY of every step, in order. */
  summary: string;
  /** The runner's own files (summaries, outputs, RUNNER_TEMP). */
  runnerDir: string;
}

function resolveInputs(
  declared: Record<string, { required?: boolean; default?: string }>,
  given: LocalActionOptions["inputs"],
) {
  const unknown = Object.keys(given).filter((k) => !(k in declared));
  if (unknown.length > 0) throw new Error(`not inputs of the action: ${unknown.join(", ")}`);
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const value = given[name] ?? spec.default ?? "";
    if (spec.required && value === "") throw new Error(`input ${name} is required`);
    inputs[name] = value;
  }
  return inputs;
}

function evaluated(map: Record<string, string> | undefined, ctx: ExpressionContext): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, interpolate(v, ctx)]));
}

/** The process environment without an outer job's GitHub files, so a step writes only to ours. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(GITHUB_|RUNNER_|INPUT_)/.test(k)) env[k] = v;
  return env;
}

/**
 * Runs a composite action.yml the way the runner does, on this machine: inputs resolved against
 * their defaults, `if:` and `${{ }}` evaluated (github-expression.ts), each `run:` step executed with
 * bash in the workspace with its `env:` and fresh GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ENV and
 * GITHUB_PATH files; `uses:` steps are checked rather than run (uses-checks.ts).
 */
export async function runActionLocally(opts: LocalActionOptions): Promise<LocalActionResult> {
  const actionDir = resolve(opts.actionDir);
  const workspace = resolve(opts.workspace);
  const action = readActionFile(join(actionDir, "action.yml"));
  const log = opts.log ?? ((t: string) => process.stderr.write(t));
  const inputs = resolveInputs(action.inputs, opts.inputs);
  const runnerDir = mkdtempSync(join(tmpdir(), "gameday-runner-"));
  const runnerTemp = join(runnerDir, "temp");
  mkdirSync(runnerTemp);
  const ctx: ExpressionContext = {
    inputs,
    steps: {},
    github: { action_path: actionDir, workspace },
    failed: false,
  };
  const jobEnv: Record<string, string> = { ...baseEnv(), ...opts.env };
  const steps: StepRecord[] = [];
  const summaries: string[] = [];
  let exitCode = 0;
  for (const [index, step] of action.runs.steps.entries()) {
    const started = Date.now();
    if (!stepCondition(step.if, ctx)) {
      log(`\n== ${step.name}: skipped (if: ${step.if ?? "success()"})\n`);
      steps.push({ name: step.name, kind: step.run ? "run" : "uses", ran: false, durationMs: 0 });
      continue;
    }
    log(`\n== ${step.name}\n`);
    const record =
      step.uses !== undefined
        ? usesStep(step, step.uses, ctx, jobEnv, workspace)
        : await runStep(step, step.run ?? "", index, {
            ctx,
            jobEnv,
            runnerDir,
            runnerTemp,
            workspace,
            actionDir,
            log,
            summaries,
            timeoutMs: opts.stepTimeoutMs ?? 900_000,
          });
    record.durationMs = Date.now() - started;
    log(
      `== ${step.name} (${(record.durationMs / 1000).toFixed(1)} s): ${record.exitCode === 0 ? "ok" : `failed (exit ${record.exitCode})`}${record.detail ? `: ${record.detail}` : ""}\n`,
    );
    steps.push(record);
    if (record.exitCode !== 0) {
      ctx.failed = true;
      exitCode = record.exitCode ?? 1;
    }
  }
  const outputs = Object.fromEntries(
    Object.entries(action.outputs).map(([k, o]) => [k, interpolate(o.value, ctx)]),
  );
  return { exitCode, outputs, steps, summary: summaries.join(""), runnerDir };
}

function usesStep(
  step: ActionStep,
  uses: string,
  ctx: ExpressionContext,
  jobEnv: Record<string, string>,
  workspace: string,
): StepRecord {
  const check = checkUses(uses, evaluated(step.with, ctx), { PATH: jobEnv.PATH ?? "", workspace });
  return {
    name: step.name,
    kind: "uses",
    ran: true,
    exitCode: check.ok ? 0 : 1,
    detail: `checked, not run: ${check.detail}`,
    durationMs: 0,
  };
}

interface RunContext {
  ctx: ExpressionContext;
  jobEnv: Record<string, string>;
  runnerDir: string;
  runnerTemp: string;
  workspace: string;
  actionDir: string;
  log: (text: string) => void;
  summaries: string[];
  timeoutMs: number;
}

async function runStep(step: ActionStep, script: string, index: number, rc: RunContext): Promise<StepRecord> {
  const files = {
    GITHUB_OUTPUT: join(rc.runnerDir, `output-${index}`),
    GITHUB_STEP_SUMMARY: join(rc.runnerDir, `summary-${index}`),
    GITHUB_ENV: join(rc.runnerDir, `env-${index}`),
    GITHUB_PATH: join(rc.runnerDir, `path-${index}`),
  };
  for (const f of Object.values(files)) writeFileSync(f, "");
  const cwd = step["working-directory"]
    ? resolve(rc.workspace, interpolate(step["working-directory"], rc.ctx))
    : rc.workspace;
  const env = {
    ...rc.jobEnv,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_ACTION_PATH: rc.actionDir,
    GITHUB_WORKSPACE: rc.workspace,
    RUNNER_TEMP: rc.runnerTemp,
    ...files,
    ...evaluated(step.env, rc.ctx),
  };
  const exitCode = await runShellStep({ script, cwd, env, log: rc.log, timeoutMs: rc.timeoutMs });
  if (step.id) rc.ctx.steps[step.id] = { outputs: readCommandFile(files.GITHUB_OUTPUT) };
  rc.summaries.push(readFileSync(files.GITHUB_STEP_SUMMARY, "utf8"));
  Object.assign(rc.jobEnv, readCommandFile(files.GITHUB_ENV));
  const paths = readFileSync(files.GITHUB_PATH, "utf8")
    .split("\n")
    .filter((p) => p.trim() !== "");
  if (paths.length > 0) rc.jobEnv.PATH = [...paths.reverse(), rc.jobEnv.PATH ?? ""].join(delimiter);
  return { name: step.name, kind: "run", ran: true, exitCode, durationMs: 0 };
}

/** `node dist/scripts/ci/run-action-locally.js [--action-dir d] [--workspace w] [--input k=v]... [--env K=V]...` */
async function main(argv: string[]): Promise<number> {
  const inputs: Record<string, string> = {};
  const env: Record<string, string> = {};
  let actionDir = ".";
  let workspace = ".";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${arg} needs a value`);
    const pair = () => {
      const eq = value.indexOf("=");
      if (eq <= 0) throw new Error(`${arg} expects name=value, got ${value}`);
      return [value.slice(0, eq), value.slice(eq + 1)] as const;
    };
    if (arg === "--action-dir") actionDir = value;
    else if (arg === "--workspace") workspace = value;
    else if (arg === "--input") {
      const [k, v] = pair();
      inputs[k] = v;
    } else if (arg === "--env") {
      const [k, v] = pair();
      env[k] = v;
    } else throw new Error(`unknown argument ${arg}`);
  }
  const result = await runActionLocally({
    actionDir,
    workspace: isAbsolute(workspace) ? workspace : resolve(workspace),
    inputs,
    env,
  });
  process.stderr.write(`\noutputs: ${JSON.stringify(result.outputs)}\nstep summary: ${result.runnerDir}\n`);
  return result.exitCode;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`run-action-locally: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    },
  );
}
