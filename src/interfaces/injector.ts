import type { FaultSpec } from "../experiment/schema.js";

/** Ownership tag carried by every fault in the target system itself, so orphans are found without a journal. */
export const OWNER_PREFIX = "gameday";

/**
 * `gameday@<installation>.<runId>.<fault>`: the installation id keeps two gameday installations that
 * share a target (two CI runners, a laptop and the cluster's workers) out of each other's sweeps.
 * Without one it is the older `gameday.<runId>.<fault>`, still recognised (src/faults/owner-tag.ts).
 */
export function ownerTag(runId: string, faultName: string, installation?: string): string {
  return installation
    ? `${OWNER_PREFIX}@${installation}.${runId}.${faultName}`
    : `${OWNER_PREFIX}.${runId}.${faultName}`;
}

export interface InjectContext {
  runId: string;
  experiment: string;
  /** The installation id that goes into every owner tag (src/run/installation-id.ts). */
  installation?: string | undefined;
}

/** What `gameday plan` shows: the fault resolved against the target, nothing touched. */
export interface PlannedFault {
  fault: string;
  family: string;
  action: string;
  targets: string[];
}

/** Whether an injected fault is still in the target as gameday put it there. */
export type FaultPresence = { inPlace: true } | { inPlace: false; why: string };

/** A fault that is in the target now. A different type from its spec, because only this can be reverted. */
export interface ActiveFault {
  readonly fault: string;
  readonly family: string;
  readonly ownerTag: string;
  readonly description: string;
  /**
   * Checked at every sample of the method: one cheap read (no exec, no wait). A fault someone else
   * removed or changed makes the run's observations meaningless, so the run ends as an error.
   */
  stillInPlace(): Promise<FaultPresence>;
  /** Removes the fault; must be safe to call twice and after the target vanished. */
  revert(): Promise<void>;
  /** Throws a RollbackError naming what remains if the fault is still observable in the target. */
  verifyReverted(): Promise<void>;
}

/** Something found in a target that carries our owner tag. */
export interface OrphanFault {
  family: string;
  ownerTag: string;
  runId: string;
  /** The installation in the owner tag; undefined for a tag written before installation ids existed. */
  installation?: string | undefined;
  description: string;
}

/** One family of faults (toxiproxy, docker, kubernetes, ...): resolve, inject, find orphans. */
export interface FaultInjector {
  readonly family: string;
  /** Resolves the fault's targets and checks they exist and are allow-listed; throws PreflightError. */
  plan(fault: FaultSpec): Promise<PlannedFault>;
  inject(fault: FaultSpec, ctx: InjectContext): Promise<ActiveFault>;
  /**
   * Faults owned by gameday (of one run, or of every run) that are still in the target, looking only
   * at what the target's allow-list names. Filtering by installation and liveness is the orphan
   * sweep's job (src/faults/orphan-sweep.ts), not each family's.
   */
  findOrphans(runId?: string): Promise<OrphanFault[]>;
  /** Reverts one orphan and verifies it is gone; a failure is a RollbackError (src/faults/revert-error.ts). */
  revertOrphan(orphan: OrphanFault): Promise<void>;
}
