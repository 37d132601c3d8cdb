import type { JournalEvent } from "../src/run/journal-schema.js";
import { gameday, shown } from "./support/cli.js";
import { assertClean, type BenchContext } from "./support/context.js";
import { experimentYaml } from "./support/experiment-yaml.js";
import type { Section } from "./support/report.js";
import { readRun } from "./support/run-artifacts.js";
import { median } from "./support/stats.js";

const SAMPLE_MS = 100;
const HOLD_MS = 2000;

/** Where the time beyond the declared schedule goes, from the journal's phase events. */
interface Breakdown {
  overhead: number;
  wall: number;
  /** spawn -> run.started: node start, module load, reading and validating the files. */
  startup: number;
  /** run.started -> baseline: preflight (reading the proxy) and the lock. */
  preflight: number;
  /** baseline beyond its declared sampleInterval: timer slack and the first sample. */
  baselineSlack: number;
  /** method beyond at+for: timer slack and the inject call. */
  methodSlack: number;
  /** rollback phase: revert, verify, orphan sweep. */
  rollback: number;
  /** recovery phase: with no steady state, one sampleInterval. */
  recovery: number;
  /** done -> exit: reports, run.json, process exit. */
  finish: number;
}

function phaseAt(journal: JournalEvent[], phase: string): number {
  const e = journal.find((x) => x.type === "phase" && x.data.phase === phase);
  if (!e) throw new Error(`journal has no phase ${phase}`);
  return e.t;
}

/**
 * Section 3: `gameday run` wall time minus the schedule the file declares, with no load and no steady
 * state so nothing but the runner itself adds time.
 */
export async function benchOverhead(ctx: BenchContext): Promise<Section> {
  const runs = ctx.quick ? 3 : 5;
  const file = ctx.ws.write(
    "overhead.yaml",
    experimentYaml({
      name: "bench-overhead",
      sampleInterval: `${SAMPLE_MS}ms`,
      toxiproxy: `{ proxy: ${ctx.stack.proxyName}, toxic: latency, latency: 1ms }`,
      at: "0s",
      for: `${HOLD_MS}ms`,
    }),
  );
  // The runner's baseline lasts max(sampleInterval, steadyState over): with no steady state, one interval.
  const declared = SAMPLE_MS + HOLD_MS;
  const results: Breakdown[] = [];
  const problems: string[] = [];
  let command = "";
  for (let i = 0; i < runs; i++) {
    const state = ctx.ws.stateDir("overhead");
    const args = ["run", file, "--targets", ctx.ws.targets, "--state-dir", state];
    command = shown("node", ["dist/src/cli/main.js", ...args]);
    ctx.log(`orchestrator overhead: run ${i + 1}/${runs}`);
    const res = await gameday(args, { timeoutMs: 60_000 });
    await assertClean(ctx, `overhead run ${i + 1}`);
    if (res.code !== 0) {
      problems.push(`run ${i + 1} exited ${res.code} (expected 0): ${res.stderr.trim().slice(-300)}`);
      continue;
    }
    const { journal } = readRun(state);
    const started = journal.find((e) => e.type === "run.started")?.t ?? Number.NaN;
    const exitAt = res.startedAt + res.wallMs;
    const [baseline, method, rollback, recovery, done] = [
      "baseline",
      "method",
      "rollback",
      "recovery",
      "done",
    ].map((p) => phaseAt(journal, p)) as [number, number, number, number, number];
    results.push({
      overhead: res.wallMs - declared,
      wall: res.wallMs,
      startup: started - res.startedAt,
      preflight: baseline - started,
      baselineSlack: method - baseline - SAMPLE_MS,
      methodSlack: rollback - method - HOLD_MS,
      rollback: recovery - rollback,
      recovery: done - recovery,
      finish: exitAt - done,
    });
  }
  const m = (k: keyof Breakdown) => median(results.map((r) => r[k]));
  return {
    id: "3",
    title: `Orchestrator overhead: wall time of gameday run minus the declared ${declared} ms, median of ${runs}`,
    commands: [command],
    metrics: [
      { name: "overhead (wall - declared schedule)", value: m("overhead"), unit: "ms", below: 1500 },
      { name: "wall time", value: m("wall"), unit: "ms" },
      {
        name: "  startup: spawn -> run.started (node, modules, validation)",
        value: m("startup"),
        unit: "ms",
      },
      { name: "  preflight: run.started -> baseline", value: m("preflight"), unit: "ms" },
      { name: `  baseline beyond its ${SAMPLE_MS} ms`, value: m("baselineSlack"), unit: "ms" },
      { name: `  method beyond its ${HOLD_MS} ms (inject, timers)`, value: m("methodSlack"), unit: "ms" },
      { name: "  rollback phase (revert, verify, orphan sweep)", value: m("rollback"), unit: "ms" },
      { name: `  recovery phase (one ${SAMPLE_MS} ms sampleInterval)`, value: m("recovery"), unit: "ms" },
      { name: "  finish: done -> process exit (reports)", value: m("finish"), unit: "ms" },
    ],
    notes: [
      `declared = baseline (max(sampleInterval, steadyState over) = ${SAMPLE_MS} ms, no steadyState) + fault at+for (0 + ${HOLD_MS} ms); no load`,
      "wall = spawn of `node dist/src/cli/main.js` to its exit, measured by the bench; phase times from the run's journal (epoch ms)",
      ...problems,
    ],
    raw: { declared, runs: results, problems },
  };
}
