import type { HaltState } from "../safety/halt-state.js";

/**
 * The shared environment's emergency stop: one flag that every running run and worker watches
 * and every new run checks before it starts. Implementations: the state folder
 * (src/safety/folder-halt-switch.ts) and Redis (src/safety/redis-halt-switch.ts); both pass
 * test/safety/halt-switch-contract.test.ts.
 */
export interface HaltSwitch {
  /** Where the flag lives, for messages ("state folder .gameday", "Redis redis://…/gameday"). */
  readonly where: string;
  /** The halt in force, if any. */
  current(): Promise<HaltState | undefined>;
  /** Sets (or updates) the halt; returns the one it replaced. */
  halt(state: HaltState): Promise<HaltState | undefined>;
  /** Lifts the halt; returns the one that was in force, undefined when none was. */
  resume(): Promise<HaltState | undefined>;
  /**
   * Calls `listener` with the halt whenever one is (or becomes) in force, at most once per halt
   * and within about a quarter of a second of it being set. Returns the function that stops it.
   */
  watch(listener: (state: HaltState) => void): () => void;
  /** Releases connections and timers. */
  close(): Promise<void>;
}
