import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { PreflightError } from "../errors/gameday-error.js";
import type { RunLock } from "../interfaces/run-lock.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One run per target on this machine: an O_EXCL lock file holding the owner's pid and run id.
 * A lock whose process is gone is stale and taken over (the runner was killed).
 */
export class TargetLock implements RunLock {
  private readonly path: string;
  private held = false;

  constructor(
    stateDir: string,
    readonly target: string,
  ) {
    mkdirSync(join(stateDir, "locks"), { recursive: true });
    this.path = join(stateDir, "locks", `${target}.lock`);
  }

  acquire(runId: string): void {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.path, "wx");
        writeSync(fd, JSON.stringify({ pid: process.pid, runId, since: new Date().toISOString() }));
        closeSync(fd);
        this.held = true;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        const owner = this.owner();
        if (owner && alive(owner.pid))
          throw new PreflightError(
            `target "${this.target}" is locked by run ${owner.runId} (pid ${owner.pid}, ${this.path})`,
          );
        rmSync(this.path, { force: true });
      }
    }
    throw new PreflightError(`could not take the lock ${this.path}`);
  }

  private owner(): { pid: number; runId: string } | undefined {
    try {
      return JSON.parse(readFileSync(this.path, "utf8"));
    } catch {
      return undefined;
    }
  }

  release(): void {
    if (this.held) rmSync(this.path, { force: true });
    this.held = false;
  }
}
