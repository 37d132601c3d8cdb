import type { Experiment } from "../experiment/schema.js";
import type { Drill } from "./drill-schema.js";

/** mulberry32: a tiny seeded generator, so a test (or a replayed drill) picks the same moment. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DrillPlan {
  /** From the drill's start (the method's start, once the load is steady). */
  injectAtMs: number;
  timeLimitMs: number;
  window: { fromMs: number; toMs: number };
  experiment: Experiment;
}

export interface PlanOptions {
  random: () => number;
  /** --time-limit and --window override the file's (short drills in tests and rehearsals). */
  timeLimitMs?: number | undefined;
  window?: { fromMs: number; toMs: number } | undefined;
}

/**
 * The drill as an ordinary experiment: its faults scheduled from a random moment in the window,
 * each lasting its `for` or until the drill ends, whichever is first. Running it through the
 * normal run lifecycle gives the drill the same guarantees (journal first, verified revert,
 * rollback in a finally, recover by owner tag) without a second rollback routine.
 */
export function planDrill(drill: Drill, opts: PlanOptions): DrillPlan {
  const timeLimitMs = opts.timeLimitMs ?? drill.spec.timeLimit;
  const window = opts.window ?? { fromMs: drill.spec.window.from, toMs: drill.spec.window.to };
  const fromMs = Math.min(window.fromMs, timeLimitMs - 1);
  const toMs = Math.max(fromMs, Math.min(window.toMs, timeLimitMs - 1));
  const injectAtMs = Math.round(fromMs + opts.random() * (toMs - fromMs));
  const faults = drill.spec.faults.map((f) => {
    const at = injectAtMs + f.at;
    // Past the time limit by a margin: the drill's end (an abort of the run) always comes first.
    return { ...f, at, for: Math.max(1, Math.min(f.for, timeLimitMs - at + 60_000)) };
  });
  const experiment: Experiment = {
    apiVersion: "gameday/v1",
    kind: "Experiment",
    metadata: {
      name: `drill-${drill.metadata.name}`.slice(0, 63),
      // The run's journal is the organizer's record; responders never read it.
      description: `incident drill ${drill.metadata.name}`,
      labels: { ...drill.metadata.labels, drill: drill.metadata.name },
    },
    spec: {
      target: drill.spec.target,
      sampleInterval: drill.spec.sampleInterval,
      load: drill.spec.load,
      steadyState: drill.spec.steadyState,
      faults,
      expect: [],
      abortWhen: [],
      recovery: { within: 30_000 },
    },
  };
  return { injectAtMs, timeLimitMs, window: { fromMs, toMs }, experiment };
}
