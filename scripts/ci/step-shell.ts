import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ShellStep {
  script: string;
  cwd: string;
  env: Record<string, string>;
  /** Every line the script prints goes here (the runner's log). */
  log: (text: string) => void;
  timeoutMs: number;
}

/**
 * Runs a script as GitHub's `shell: bash` does (`bash --noprofile --norc -eo pipefail <file>`),
 * which is also how GitLab's bash runner treats a job's lines. Resolves with the exit code; a
 * script that outlives its timeout is killed with its process group and reads as 124.
 */
export function runShellStep(step: ShellStep): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "gameday-step-"));
  const file = join(dir, "step.sh");
  writeFileSync(file, step.script.endsWith("\n") ? step.script : `${step.script}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", file], {
      cwd: step.cwd,
      env: step.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    }, step.timeoutMs);
    child.stdout.on("data", (d: Buffer) => step.log(d.toString()));
    child.stderr.on("data", (d: Buffer) => step.log(d.toString()));
    child.on("error", (e) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      resolve(timedOut ? 124 : (code ?? (signal ? 128 : 1)));
    });
  });
}
