import { RollbackError } from "../../errors/gameday-error.js";
import type { ActiveFault, FaultPresence } from "../../interfaces/injector.js";
import { isNotFound, kubeErrorText } from "./kube-errors.js";
import {
  FAULT_LABEL,
  INSTALLATION_LABEL,
  MANAGED_BY,
  OWNER_ANNOTATION,
  REPLICAS_ANNOTATION,
  RUN_LABEL,
} from "./owner-labels.js";
import { isReady } from "./select-pods.js";
import { waitUntil } from "./wait-until.js";
import { readyState, type Workload, type WorkloadApi } from "./workload-api.js";

/** Restores the replica count and removes our marks in one patch, so a half-revert cannot exist. */
function restoreBody(replicas: number): object {
  return {
    metadata: {
      labels: { [MANAGED_BY]: null, [RUN_LABEL]: null, [FAULT_LABEL]: null, [INSTALLATION_LABEL]: null },
      annotations: { [OWNER_ANNOTATION]: null, [REPLICAS_ANNOTATION]: null },
    },
    spec: { replicas },
  };
}

/** A Deployment or StatefulSet scaled to zero; the previous count also lives in its annotation. */
export class ActiveScale implements ActiveFault {
  readonly family = "kubernetes";
  private vanished = false;

  constructor(
    private readonly api: WorkloadApi,
    private readonly namespace: string,
    private readonly name: string,
    private readonly previous: number,
    private readonly readyTimeoutMs: number,
    readonly fault: string,
    readonly ownerTag: string,
    readonly description: string,
  ) {}

  private get ref(): string {
    return `${this.api.kind} ${this.namespace}/${this.name}`;
  }

  /** One read: still at zero replicas and still carrying this run's label. */
  async stillInPlace(): Promise<FaultPresence> {
    let w: Workload;
    try {
      w = await this.api.read(this.namespace, this.name);
    } catch (err) {
      if (isNotFound(err)) return { inPlace: false, why: `${this.ref} was deleted during the fault` };
      throw err;
    }
    if ((w.spec?.replicas ?? 1) !== 0)
      return {
        inPlace: false,
        why: `${this.ref} was scaled to ${w.spec?.replicas} replicas by someone else`,
      };
    if (w.metadata?.annotations?.[OWNER_ANNOTATION] !== this.ownerTag)
      return { inPlace: false, why: `${this.ref} no longer carries owner tag ${this.ownerTag}` };
    return { inPlace: true };
  }

  async revert(): Promise<void> {
    try {
      await this.api.patch(this.namespace, this.name, restoreBody(this.previous));
    } catch (err) {
      if (isNotFound(err)) {
        this.vanished = true; // reported by verifyReverted: nothing is left, but nothing was restored either
        return;
      }
      throw new RollbackError(
        `could not restore ${this.ref} to ${this.previous} replicas: ${kubeErrorText(err, "patch", this.api.resource, this.namespace)}; ` +
          "it may remain at 0: `gameday recover` finds it by its gameday.dev/run-id label",
        { cause: err },
      );
    }
  }

  private async readyPods(w: Workload): Promise<number> {
    const labels = w.spec?.selector.matchLabels ?? {};
    const labelSelector = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
    const pods = await this.api.client.core.listNamespacedPod({ namespace: this.namespace, labelSelector });
    return pods.items.filter(isReady).length;
  }

  async verifyReverted(): Promise<void> {
    if (this.vanished)
      throw new RollbackError(
        `${this.ref} disappeared during the fault (deleted by someone else); its ${this.previous} replicas could not be restored`,
      );
    const r = await waitUntil(async () => {
      try {
        const w = await this.api.read(this.namespace, this.name);
        if ((w.spec?.replicas ?? 1) !== this.previous)
          return { done: false, reason: `spec.replicas is ${w.spec?.replicas}, not ${this.previous}` };
        const s = readyState(w);
        if (!s.ready) return { done: false, reason: s.text };
        // The status can lag behind a quick 0 -> n: count the Ready, non-terminating pods too.
        const ready = await this.readyPods(w);
        return ready >= this.previous
          ? { done: true, value: s.text }
          : { done: false, reason: `${ready} of ${this.previous} pods Ready and not terminating` };
      } catch (err) {
        return { done: false, reason: kubeErrorText(err, "get", this.api.resource, this.namespace) };
      }
    }, this.readyTimeoutMs);
    if (!r.ok)
      throw new RollbackError(
        `${this.ref} was not back to ${this.previous} Ready replicas within ${this.readyTimeoutMs} ms: ${r.reason}`,
      );
  }
}
