import type { FaultSpec } from "../experiment/schema.js";

/** Ownership tag carried by every fault in the target system itself, so orphans are found without a journal. */
export const OWNER_PREFIX = "gameday";
export function ownerTag(runId: string, faultName: string): string {
  return `${OWNER_PREFIX}.${runId}.${faultName}`;
}

export interface InjectContext {
  runId: string;
  experiment: string;
}

/** What `gameday plan` shows: the fault resolved against the target, nothing touched. */
export interface PlannedFault {
  fault: string;
  family: string;
  action: string;
  targets: string[];
}

/** A fault that is in the target now. A different type from its spec, because only this can be reverted. */
export interface ActiveFault {
  readonly fault: string;
  readonly family: string;
  readonly ownerTag: string;
  readonly description: string;
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
  description: string;
}

/** One family of faults (toxiproxy, docker, kubernetes): resolve, inject, find orphans. */
export interface FaultInjector {
  readonly family: string;
  /** Resolves the fault's targets and checks they exist and are allow-listed; throws PreflightError. */
  plan(fault: FaultSpec): Promise<PlannedFault>;
  inject(fault: FaultSpec, ctx: InjectContext): Promise<ActiveFault>;
  /** Faults owned by gameday (of one run, or of every run) that are still in the target. */
  findOrphans(runId?: string): Promise<OrphanFault[]>;
  /** Reverts one orphan and verifies it is gone. */
  revertOrphan(orphan: OrphanFault): Promise<void>;
}
