import type { TimeWindow } from "../interfaces/metric-source.js";

/** When things actually happened in a run (epoch ms); expectations derive their windows from it. */
export interface Timeline {
  baseline?: Partial<TimeWindow>;
  method?: Partial<TimeWindow>;
  /** Per fault: when it was really injected and really reverted. */
  faults: Record<string, Partial<TimeWindow>>;
  /** When the last revert was verified; recovery windows count from here. */
  rollbackEnd?: number;
  recovery?: Partial<TimeWindow>;
}

export type Phase = "preflight" | "baseline" | "method" | "rollback" | "recovery" | "done";
