import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** Alive and not a zombie (a zombie still answers kill(pid, 0) but is gone for our purposes). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

/** The process's argv from /proc, or undefined where /proc is not available. */
export function commandLine(pid: number): string[] | undefined {
  const path = `/proc/${pid}/cmdline`;
  if (!existsSync("/proc/self/cmdline")) return undefined;
  try {
    return readFileSync(path, "utf8")
      .split("\0")
      .filter((s) => s.length > 0);
  } catch {
    return [];
  }
}

/**
 * True when `pid` is alive and still runs `argv` (or a command line `matches` accepts): pids are
 * recycled, and signalling a stranger that inherited the number is the one thing we must not do.
 */
export function isOurProcess(pid: number, matches: (cmd: string[]) => boolean): boolean {
  if (!isAlive(pid)) return false;
  const cmd = commandLine(pid);
  return cmd === undefined || matches(cmd);
}

export function sameArgv(argv: readonly string[]): (cmd: string[]) => boolean {
  return (cmd) => cmd.length === argv.length && cmd.every((a, i) => a === argv[i]);
}

/**
 * Starts a detached process (own process group, no terminal) with stdout and stderr appended to
 * `logFile`, so it outlives the CLI that started it.
 */
export function spawnDetached(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
  cwd: string,
): ChildProcess {
  mkdirSync(dirname(logFile), { recursive: true });
  appendFileSync(logFile, `\n=== ${new Date().toISOString()} gameday sandbox: ${argv.join(" ")}\n`);
  const fd = openSync(logFile, "a");
  try {
    const [cmd, ...args] = argv as [string, ...string[]];
    const child = spawn(cmd, args, { detached: true, stdio: ["ignore", fd, fd], env, cwd });
    child.on("error", () => {}); // reported through pid/exitCode checks by the caller
    child.unref();
    return child;
  } finally {
    closeSync(fd);
  }
}

export type StopResult = "stopped" | "killed" | "not-running";

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is verifiably gone. */
export async function stopProcess(pid: number, graceMs = 5000): Promise<StopResult> {
  if (!isAlive(pid)) return "not-running";
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(pid, s);
    } catch {}
  };
  signal("SIGTERM");
  const termDeadline = Date.now() + graceMs;
  while (Date.now() < termDeadline) {
    if (!isAlive(pid)) return "stopped";
    await sleep(50);
  }
  signal("SIGKILL");
  const killDeadline = Date.now() + 3000;
  while (Date.now() < killDeadline) {
    if (!isAlive(pid)) return "killed";
    await sleep(50);
  }
  throw new Error(`pid ${pid} is still alive after SIGTERM and SIGKILL`);
}

/** The last lines of a log, to put the reason a process died into the error itself. */
export function logTail(logFile: string, lines = 15): string {
  try {
    return readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
