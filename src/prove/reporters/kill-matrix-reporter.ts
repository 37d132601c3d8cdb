import type { KillMatrix } from "../kill-matrix.js";

/** A reporter of `gameday prove`: writes the kill matrix once, at the end (like onSuiteEnd of a run's reporters). */
export interface KillMatrixReporter {
  onProveEnd(matrix: KillMatrix): void | Promise<void>;
}
