import type { CellState, KillMatrix } from "../kill-matrix.js";

const MARK: Record<CellState, string> = { killed: "KILLED", survived: "held", "not-run": "-" };

export const percent = (m: KillMatrix) => `${Math.round(m.score.ratio * 1000) / 10}%`;

/** The headline a human reads first: the score, the survivors, the vacuous checks. */
export function headline(m: KillMatrix): string[] {
  const out = [`mutation score ${m.score.killed}/${m.score.total} (${percent(m)})`];
  if (!m.healthy.passed) out.unshift(`healthy run did not pass, so no mutant was tried: ${m.healthy.reason}`);
  if (m.interrupted) out.push("interrupted: the matrix is incomplete (every mutant applied was reverted)");
  for (const s of m.survivors) out.push(`SURVIVED: ${s} (no check failed with this countermeasure removed)`);
  for (const e of m.mutants.filter((x) => x.status === "error")) out.push(`ERROR: ${e.mutant}: ${e.reason}`);
  if (m.mutants.length && m.vacuous.length)
    out.push(
      `never failed under any mutant${m.fullMatrix ? "" : " (early stopping: --full-matrix decides every cell)"}: ${m.vacuous.join("; ")}`,
    );
  return out;
}

export function cellMark(m: KillMatrix, mutant: string, row: string): string {
  const o = m.mutants.find((x) => x.mutant === mutant);
  return MARK[o?.cells[row] ?? "not-run"];
}
