import { ownerTag } from "../../interfaces/injector.js";

/** Labels on everything gameday creates or changes; selectable, so `gameday recover` needs no journal. */
export const MANAGED_BY = "app.kubernetes.io/managed-by";
export const RUN_LABEL = "gameday.dev/run-id";
export const FAULT_LABEL = "gameday.dev/fault";
/** The installation id (src/run/installation-id.ts); absent on objects of older versions. */
export const INSTALLATION_LABEL = "gameday.dev/installation";
/** Annotations: the owner tag, and what to restore (labels cannot hold arbitrary text). */
export const OWNER_ANNOTATION = "gameday.dev/owner";
export const REPLICAS_ANNOTATION = "gameday.dev/previous-replicas";

export function ownerLabels(runId: string, fault: string, installation?: string): Record<string, string> {
  return {
    [MANAGED_BY]: "gameday",
    [RUN_LABEL]: runId,
    [FAULT_LABEL]: fault,
    ...(installation ? { [INSTALLATION_LABEL]: installation } : {}),
  };
}

export function ownerAnnotations(
  runId: string,
  fault: string,
  installation?: string,
): Record<string, string> {
  return { [OWNER_ANNOTATION]: ownerTag(runId, fault, installation) };
}

/** The label selector for what one run (or every run) left in a namespace. */
export function ownedSelector(runId?: string): string {
  return runId === undefined
    ? `${MANAGED_BY}=gameday,${RUN_LABEL}`
    : `${MANAGED_BY}=gameday,${RUN_LABEL}=${runId}`;
}
