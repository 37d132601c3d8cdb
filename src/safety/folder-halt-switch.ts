import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { HaltSwitch } from "../interfaces/halt-switch.js";
import { type HaltState, parseHaltState } from "./halt-state.js";

export const HALT_FILE = "halt.json";
const POLL_MS = 200;

/**
 * The halt as a file in the state folder, written atomically (temp file and rename, as the abort
 * request is) and polled: every run and worker on this machine using the folder sees it.
 */
export class FolderHaltSwitch implements HaltSwitch {
  readonly where: string;
  private readonly file: string;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly stateDir: string) {
    this.where = `state folder ${stateDir}`;
    this.file = join(stateDir, HALT_FILE);
  }

  private read(): HaltState | undefined {
    if (!existsSync(this.file)) return undefined;
    try {
      return parseHaltState(readFileSync(this.file, "utf8"));
    } catch (err) {
      // Removed between the check and the read: a resume. Anything else (EACCES, EISDIR) is a flag
      // that is there but cannot be read: fail closed, as an unparseable one does.
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      return parseHaltState("");
    }
  }

  async current(): Promise<HaltState | undefined> {
    return this.read();
  }

  async halt(state: HaltState): Promise<HaltState | undefined> {
    const previous = this.read();
    mkdirSync(this.stateDir, { recursive: true });
    const tmp = join(this.stateDir, `.${HALT_FILE}.${process.pid}`);
    writeFileSync(tmp, `${JSON.stringify(state)}\n`);
    renameSync(tmp, this.file);
    return previous;
  }

  async resume(): Promise<HaltState | undefined> {
    const previous = this.read();
    rmSync(this.file, { force: true });
    return previous;
  }

  watch(listener: (state: HaltState) => void): () => void {
    let seen: number | undefined;
    const look = () => {
      const state = this.read();
      if (!state) seen = undefined;
      else if (seen !== state.at) {
        seen = state.at;
        listener(state);
      }
    };
    const timer = setInterval(look, POLL_MS);
    timer.unref();
    this.timers.add(timer);
    look();
    return () => {
      clearInterval(timer);
      this.timers.delete(timer);
    };
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
  }
}
