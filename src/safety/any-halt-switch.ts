import type { HaltSwitch } from "../interfaces/halt-switch.js";
import type { HaltState } from "./halt-state.js";

/**
 * Several places as one switch: a halt set in any of them stops runs, `halt` and `resume` write
 * all of them. With Redis configured the CLI uses Redis and the state folder, so a run on this
 * machine that was started without Redis stops as well.
 */
export class AnyHaltSwitch implements HaltSwitch {
  readonly where: string;

  constructor(private readonly switches: HaltSwitch[]) {
    this.where = switches.map((s) => s.where).join(" and ");
  }

  async current(): Promise<HaltState | undefined> {
    const states = await Promise.all(this.switches.map((s) => s.current()));
    return states.find((s) => s !== undefined);
  }

  async halt(state: HaltState): Promise<HaltState | undefined> {
    const previous = await Promise.all(this.switches.map((s) => s.halt(state)));
    return previous.find((s) => s !== undefined);
  }

  async resume(): Promise<HaltState | undefined> {
    const previous = await Promise.all(this.switches.map((s) => s.resume()));
    return previous.find((s) => s !== undefined);
  }

  watch(listener: (state: HaltState) => void): () => void {
    let seen: number | undefined;
    // The same halt arrives from each place: the listener hears it once.
    const once = (s: HaltState) => {
      if (seen === s.at) return;
      seen = s.at;
      listener(s);
    };
    const stops = this.switches.map((s) => s.watch(once));
    return () => {
      for (const stop of stops) stop();
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.switches.map((s) => s.close()));
  }
}
