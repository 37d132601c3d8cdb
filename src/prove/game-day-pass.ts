import type { ResolvedInput } from "../cli/inputs.js";
import { writeRunArtifacts } from "../report/run-artifacts.js";
import { runExperiment } from "../run/experiment-runner.js";
import type { MutantRun } from "./kill-matrix.js";

export interface PassOptions {
  stateDir: string;
  /** The user's interrupt (SIGINT/SIGTERM): stops the pass, rollback still runs. */
  signal: AbortSignal;
  /** Stop an experiment at its first failed expectation and skip the rest of the game day. */
  stopEarly: boolean;
  /** Run every experiment whatever happened before (the healthy run, and --full-matrix). */
  runAll: boolean;
  continueOnFailure: boolean;
  /** Lock name per target, so isolated sandbox instances do not wait on each other. */
  lockName?: (target: string) => string;
  log: (line: string) => void;
  label: string;
}

/**
 * Runs the game day's experiments once, in order. With stopEarly, the progress feed of each
 * run is watched: at the first expectation that fails the run is stopped (and rolled back), and
 * only the expectations that had failed by then count as killers.
 */
export async function runGameDayPass(inputs: ResolvedInput[], o: PassOptions): Promise<MutantRun[]> {
  const runs: MutantRun[] = [];
  for (const input of inputs) {
    if (o.signal.aborted) break;
    const early = new AbortController();
    let stoppedAfter: string[] | undefined;
    const result = await runExperiment({
      ...input,
      targetName: o.lockName ? o.lockName(input.targetName) : input.targetName,
      stateDir: o.stateDir,
      signal: AbortSignal.any([o.signal, early.signal]),
      onProgress: o.stopEarly
        ? (s) => {
            const failed = s.expectations.filter((e) => e.status === "failed").map((e) => e.name);
            if (failed.length && !early.signal.aborted) {
              stoppedAfter = failed;
              early.abort(`prove: stopped at the first failed expectation (${failed.join(", ")})`);
            }
          }
        : undefined,
    });
    await writeRunArtifacts(result);
    runs.push({ result: { ...result, target: input.targetName }, stoppedAfter });
    o.log(
      `  [${o.label}] ${result.experiment}: ${stoppedAfter ? `stopped, failed: ${stoppedAfter.join(", ")}` : `${result.verdict} — ${result.reason}`}`,
    );
    const passed = result.verdict === "passed";
    if (!passed && (o.stopEarly || (!o.runAll && !o.continueOnFailure))) break;
  }
  return runs;
}
