import type { OrphanFault } from "../../interfaces/injector.js";

/** The family every configuration change (a mutant of `gameday prove`, later a drill's drift) belongs to. */
export const CONFIG_FAMILY = "config";

/** Docker labels on a container gameday recreated with an override (distinct from the docker family's markers). */
export const CONFIG_LABEL = {
  owner: "gameday.owner",
  run: "gameday.run",
  change: "gameday.config.change",
  role: "gameday.role",
  priorId: "gameday.config.prior-id",
  priorName: "gameday.config.prior-name",
  priorRunning: "gameday.config.prior-running",
  env: "gameday.config.env",
} as const;
export const OVERRIDE_ROLE = "config-override";

/** Kubernetes labels and annotations on a patched workload; not the kubernetes family's run-id label, so its sweep ignores it. */
export const KUBE_CONFIG = {
  managedBy: "app.kubernetes.io/managed-by",
  run: "gameday.dev/config-run",
  change: "gameday.dev/config-change",
  // Its own key: a kubernetes-family fault on the same workload (scale-to-zero) writes and, on
  // revert, deletes gameday.dev/owner; sharing it lost the patch's tag and so its restore.
  owner: "gameday.dev/config-owner",
  /** The key of versions before that, read so that `recover` still finds their patches. */
  legacyOwner: "gameday.dev/owner",
  priorTemplate: "gameday.dev/prior-template",
} as const;

export type ConfigForm = "sandbox" | "compose" | "kubernetes";

/** An applied change found in a target by its owner tag; `ref` says where, so it can be reverted without a journal. */
export interface ConfigOrphan extends OrphanFault {
  form: ConfigForm;
  ref: string;
}
