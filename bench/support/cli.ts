import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The built CLI: dist/bench/support/cli.js -> dist/src/cli/main.js. */
export const CLI = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

export interface Exec {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From just before spawn to the child's exit: process start, module load and work included. */
  wallMs: number;
  startedAt: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Hard limit: the child is killed (and the bench fails loudly) past it. */
  timeoutMs: number;
  /** Called with the child's pid right after spawn, e.g. to sample /proc. */
  onSpawn?: (pid: number) => void;
}

/** Runs a program to completion, timing it; output is kept in memory (it is small). */
export function exec(cmd: string, args: string[], opts: ExecOptions): Promise<Exec> {
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    const t0 = performance.now();
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let wallMs = 0;
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("exit", () => (wallMs = performance.now() - t0));
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, wallMs, startedAt, stdout, stderr });
    });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
  });
}

/** `node dist/src/cli/main.js <args>` with the same node that runs the bench. */
export function gameday(args: string[], opts: ExecOptions): Promise<Exec> {
  return exec(process.execPath, [CLI, ...args], opts);
}

/** The command as a person would type it, for the report. */
export function shown(cmd: string, args: string[]): string {
  return [cmd, ...args]
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`))
    .join(" ");
}
