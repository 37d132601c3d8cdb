import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { PreflightError } from "../errors/gameday-error.js";
import type { RunLock } from "../interfaces/run-lock.js";
import { processAlive } from "../store/process-alive.js";

/** A lock file's name is a hash of what it locks: no name, however written, leaves the locks folder. */
export function lockFileName(name: string): string {
  return `${createHash("sha256").update(name).digest("hex").slice(0, 32)}.lock`;
}

export interface LockHolder {
  pid: number;
  runId: string;
  name: string;
  since: string;
}

/** The runs holding a local lock in this state folder whose process is alive, by run id. */
export function liveLocalRuns(stateDir: string): Map<string, string> {
  const live = new Map<string, string>();
  const dir = join(stateDir, "locks");
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".lock"));
  } catch {
    return live;
  }
  for (const f of files) {
    try {
      const h = JSON.parse(readFileSync(join(dir, f), "utf8")) as LockHolder;
      if (typeof h.pid === "number" && processAlive(h.pid))
        live.set(h.runId, `lock on ${h.name}, pid ${h.pid}`);
    } catch {
      // a torn or foreign file: not a live holder
    }
  }
  return live;
}

/**
 * One run per endpoint on this machine: an O_EXCL lock file per endpoint the target reaches
 * (src/run/lock-names.ts), each holding the owner's pid and run id, all taken or none. A lock whose
 * process is gone is stale and taken over (the runner was killed).
 */
export class TargetLock implements RunLock {
  private readonly dir: string;
  private readonly names: string[];
  private held: string[] = [];

  constructor(stateDir: string, names: string | string[]) {
    this.dir = join(stateDir, "locks");
    mkdirSync(this.dir, { recursive: true });
    this.names = [...new Set(typeof names === "string" ? [names] : names)].sort();
  }

  acquire(runId: string): void {
    try {
      for (const name of this.names) {
        this.take(name, runId);
        this.held.push(name);
      }
    } catch (err) {
      this.release();
      throw err;
    }
  }

  private take(name: string, runId: string): void {
    const path = join(this.dir, lockFileName(name));
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, "wx");
        const holder: LockHolder = { pid: process.pid, runId, name, since: new Date().toISOString() };
        writeSync(fd, JSON.stringify(holder));
        closeSync(fd);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        const owner = readHolder(path);
        if (owner && processAlive(owner.pid))
          throw new PreflightError(`${name} is locked by run ${owner.runId} (pid ${owner.pid}, ${path})`);
        rmSync(path, { force: true });
      }
    }
    throw new PreflightError(`could not take the lock ${path} (${name})`);
  }

  release(): void {
    for (const name of this.held) rmSync(join(this.dir, lockFileName(name)), { force: true });
    this.held = [];
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}
