import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../../src/sandbox/sandbox-layout.js";

/** A built tool the tests run (a collector, a tracing backend): its process and the tail of its stderr. */
export interface ToolProcess {
  child: ChildProcess;
  /** The last 4000 characters it wrote to stderr, for the error that says why it did not come up. */
  stderr(): string;
  /** SIGTERM, then SIGKILL after `graceMs` (a tool that drains its pipelines can take long). */
  stop(): Promise<void>;
}

export function spawnTool(bin: string, args: string[], graceMs = 3000): ToolProcess {
  let stderr = "";
  const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr?.on("data", (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  // A spawn that fails (EACCES, ENOENT) must not crash the test worker: it is said as the stderr.
  child.on("error", (err) => {
    stderr = `${stderr}\n${bin}: ${err.message}`.slice(-4000);
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
      child.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill("SIGTERM");
    });
  return { child, stderr: () => stderr, stop };
}

/**
 * Where scripts/lib/<script> caches the tool it builds: the version is read from that script (its
 * `<variable>="..."` line), so the two never disagree; undefined when the line is gone.
 */
export function builtTool(
  script: string,
  variable: string,
  dir: string,
  bin: string,
): { bin: string; version: string | undefined } {
  const version = new RegExp(`${variable}="([^"]+)"`).exec(
    readFileSync(join(packageRoot(), "scripts", "lib", script), "utf8"),
  )?.[1];
  const tools = process.env.GAMEDAY_TOOLS ?? join(homedir(), ".cache", "gameday-tools");
  return { bin: join(tools, `${dir}-${version}`, "bin", bin), version };
}
