import type { Experiment } from "../experiment/schema.js";
import type { InjectorRegistry } from "../faults/injector-registry.js";
import type { ExpectationEvaluator } from "../interfaces/expectation.js";
import type { ActiveFault } from "../interfaces/injector.js";
import type { LoadGenerator } from "../load/load-generator.js";
import type { ProbeContext } from "../probes/probe-factory.js";
import type { Journal } from "./journal.js";
import type { SampleLog } from "./samples/sample-log.js";
import type { Phase, Timeline } from "./timeline.js";

/** Live view for progress reporters, pushed on every sampling tick. */
export interface ProgressSnapshot {
  runId: string;
  experiment: string;
  phase: Phase;
  elapsedMs: number;
  plannedMs: number;
  activeFaults: string[];
  expectations: { name: string; status: string }[];
}

/** Everything the lifecycle steps share for one run. */
export interface RunContext {
  runId: string;
  /** Goes into every owner tag; sweeps touch nothing of another installation. */
  installation: string;
  experiment: Experiment;
  /** The run's name in progress and history: a matrix run's carries its values; metadata.name otherwise. */
  name?: string | undefined;
  journal: Journal;
  timeline: Timeline;
  phase: Phase;
  startedAt: number;
  plannedMs: number;
  injectors: InjectorRegistry;
  probes: ProbeContext;
  load?: LoadGenerator | undefined;
  evaluators: ExpectationEvaluator[];
  /** Families an injection was attempted with: only those are swept for leftovers at rollback. */
  touched: Set<string>;
  /** Faults in the target right now, by fault name. */
  active: Map<string, ActiveFault>;
  /** The lock's fence, checked before every injection (a no-op for local locks). */
  fence: () => Promise<void>;
  /** Set by SIGINT/SIGTERM or the caller; the method stops at the next tick. */
  signal: AbortSignal;
  onProgress?: ((s: ProgressSnapshot) => void) | undefined;
  /** Every probe reading and load figure, for the charts (samples.jsonl). */
  samples?: SampleLog | undefined;
}

export function setPhase(ctx: RunContext, phase: Phase): void {
  ctx.phase = phase;
  ctx.journal.write("phase", { phase });
}

export function snapshot(ctx: RunContext): ProgressSnapshot {
  return {
    runId: ctx.runId,
    experiment: ctx.name ?? ctx.experiment.metadata.name,
    phase: ctx.phase,
    elapsedMs: Date.now() - ctx.startedAt,
    plannedMs: ctx.plannedMs,
    activeFaults: [...ctx.active.keys()],
    expectations: ctx.evaluators.map((e) => ({ name: e.name, status: e.status() })),
  };
}

/** Sleeps until `until` (epoch ms) or until the run is signalled, whichever is first. */
export function sleepUntil(until: number, signal: AbortSignal): Promise<void> {
  const ms = until - Date.now();
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
