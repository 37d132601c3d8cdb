import { ExitCode, type ExitCodeValue } from "../errors/gameday-error.js";
import type { RunResult } from "../run/run-result.js";
import { combinedExitCode } from "../run/verdict.js";

/** killed: this check failed under the mutant; survived: it held; not-run: the mutant's run stopped before it decided. */
export type CellState = "killed" | "survived" | "not-run";
export type MutantStatus = "killed" | "survived" | "error";

/** One row of the matrix: an expectation of one experiment, or its steady state before / recovery. */
export interface MatrixRow {
  id: string;
  experiment: string;
  check: string;
}

/** What happened to one run of the game day under a mutant, as the matrix needs it. */
export interface MutantRun {
  result: RunResult;
  /** Set when prove stopped the run at its first failure: only these expectations decided. */
  stoppedAfter?: string[] | undefined;
}

export interface MutantOutcome {
  mutant: string;
  description?: string | undefined;
  status: MutantStatus;
  /** Rows that failed under this mutant. */
  killedBy: string[];
  cells: Record<string, CellState>;
  /** Why the status, in a sentence (an error's message, the first killer). */
  reason: string;
  durationMs: number;
  runIds: string[];
}

export interface KillMatrix {
  gameDay: string;
  file: string;
  proveId: string;
  fullMatrix: boolean;
  healthy: { passed: boolean; exitCode: ExitCodeValue; reason: string; runIds: string[]; durationMs: number };
  rows: MatrixRow[];
  mutants: MutantOutcome[];
  score: { killed: number; total: number; ratio: number };
  survivors: string[];
  /** Rows no mutant made fail: checks that, as far as this matrix shows, cannot fail. */
  vacuous: string[];
  interrupted: boolean;
  exitCode: ExitCodeValue;
  startedAt: number;
  endedAt: number;
}

const rowId = (experiment: string, check: string) => `${experiment} / ${check}`;
export const STEADY = "steady state before";
export const RECOVERY = "recovery";
export const ABORT = "abort conditions";

/** The rows, in the order the healthy run met them: every expectation, with steady state and recovery around them. */
export function matrixRows(healthy: RunResult[]): MatrixRow[] {
  return healthy.flatMap((r) => [
    { id: rowId(r.experiment, STEADY), experiment: r.experiment, check: STEADY },
    ...r.expectations.map((e) => ({
      id: rowId(r.experiment, e.name),
      experiment: r.experiment,
      check: e.name,
    })),
    { id: rowId(r.experiment, ABORT), experiment: r.experiment, check: ABORT },
    { id: rowId(r.experiment, RECOVERY), experiment: r.experiment, check: RECOVERY },
  ]);
}

/** The cells of one run: failed checks kill, held checks survive; a stopped run leaves the undecided ones not-run. */
function runCells(run: MutantRun): Record<string, CellState> {
  const { result, stoppedAfter } = run;
  const cells: Record<string, CellState> = {};
  const steadyOk = result.steadyStateBefore.length > 0 && result.steadyStateBefore.every((s) => s.ok);
  const steadyFailed = result.steadyStateBefore.some((s) => !s.ok);
  cells[rowId(result.experiment, STEADY)] = steadyFailed ? "killed" : steadyOk ? "survived" : "not-run";
  for (const e of result.expectations) {
    const id = rowId(result.experiment, e.name);
    // A run cut short decided only its killers: the others' windows never finished.
    if (stoppedAfter) cells[id] = stoppedAfter.includes(e.name) ? "killed" : "not-run";
    else cells[id] = e.status === "passed" ? "survived" : "killed";
  }
  // An abort condition that trips under the mutant fails the gate too (exit 3).
  const abortedByCondition = result.verdict === "aborted" && result.reason.startsWith("aborted by condition");
  cells[rowId(result.experiment, ABORT)] = abortedByCondition
    ? "killed"
    : steadyOk && !stoppedAfter && result.verdict !== "aborted"
      ? "survived"
      : "not-run";
  const recoveryFailed = result.recovery.some((s) => !s.ok);
  cells[rowId(result.experiment, RECOVERY)] = recoveryFailed
    ? "killed"
    : result.recovery.length && !stoppedAfter
      ? "survived"
      : "not-run";
  return cells;
}

/**
 * One mutant's outcome from its runs. Killed when any check failed (a steady state that no longer
 * holds counts: the gate exits non-zero); an infrastructure error or an unverified rollback is an
 * error, never a kill, since the gate did not decide anything.
 */
export function mutantOutcome(
  mutant: { name: string; description?: string | undefined },
  rows: MatrixRow[],
  runs: MutantRun[],
  durationMs: number,
  error?: string,
): MutantOutcome {
  const cells: Record<string, CellState> = Object.fromEntries(
    rows.map((r) => [r.id, "not-run" as CellState]),
  );
  for (const run of runs) Object.assign(cells, runCells(run));
  const killedBy = rows.filter((r) => cells[r.id] === "killed").map((r) => r.id);
  // Not run for another reason than the steady state (a preflight error, a held lock) decided nothing.
  const undecided = (r: MutantRun) =>
    r.result.verdict === "not-run" && !r.result.steadyStateBefore.some((s) => !s.ok);
  const broken = runs.find((r) => r.result.verdict === "error" || r.result.remaining.length || undecided(r));
  const base = {
    mutant: mutant.name,
    description: mutant.description,
    killedBy,
    cells,
    durationMs,
    runIds: runs.map((r) => r.result.runId),
  };
  if (error) return { ...base, status: "error", reason: error };
  if (broken)
    return { ...base, status: "error", reason: `${broken.result.experiment}: ${broken.result.reason}` };
  if (killedBy.length) return { ...base, status: "killed", reason: `killed by ${killedBy[0]}` };
  return { ...base, status: "survived", reason: "every check held with the countermeasure removed" };
}

/** Exit 0 only when the healthy run passed and every mutant was killed; 1 names survivors. */
export function buildMatrix(input: {
  gameDay: string;
  file: string;
  proveId: string;
  fullMatrix: boolean;
  healthy: RunResult[];
  healthyMs: number;
  mutants: MutantOutcome[];
  interrupted: boolean;
  startedAt: number;
}): KillMatrix {
  const healthyCode = combinedExitCode(input.healthy);
  const passed = input.healthy.length > 0 && healthyCode === ExitCode.passed;
  const rows = matrixRows(input.healthy);
  const killed = input.mutants.filter((m) => m.status === "killed").length;
  const total = input.mutants.length;
  const survivors = input.mutants.filter((m) => m.status === "survived").map((m) => m.mutant);
  const vacuous = rows.filter((r) => !input.mutants.some((m) => m.cells[r.id] === "killed")).map((r) => r.id);
  let exitCode: ExitCodeValue;
  if (input.interrupted) exitCode = ExitCode.aborted;
  else if (!passed) exitCode = input.healthy.length ? healthyCode : ExitCode.notRun;
  else if (input.mutants.some((m) => m.status === "error")) exitCode = ExitCode.error;
  else exitCode = survivors.length ? ExitCode.failed : ExitCode.passed;
  const reason = passed
    ? "passed"
    : input.healthy
        .filter((r) => r.exitCode !== ExitCode.passed)
        .map((r) => `${r.experiment}: ${r.reason}`)
        .join("; ") || "the healthy run did not run";
  return {
    gameDay: input.gameDay,
    file: input.file,
    proveId: input.proveId,
    fullMatrix: input.fullMatrix,
    healthy: {
      passed,
      exitCode: healthyCode,
      reason,
      runIds: input.healthy.map((r) => r.runId),
      durationMs: input.healthyMs,
    },
    rows,
    mutants: input.mutants,
    score: { killed, total, ratio: total ? killed / total : 0 },
    survivors,
    vacuous,
    interrupted: input.interrupted,
    exitCode,
    startedAt: input.startedAt,
    endedAt: Date.now(),
  };
}
