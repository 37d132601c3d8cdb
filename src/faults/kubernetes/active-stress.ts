import { RollbackError } from "../../errors/gameday-error.js";
import type { ActiveFault, FaultPresence } from "../../interfaces/injector.js";
import type { KubeClient } from "./kube-client.js";
import { isNotFound, kubeErrorText } from "./kube-errors.js";
import { waitUntil } from "./wait-until.js";

/** The stress pods of one memory-pressure fault; revert deletes them and waits until they are gone. */
export class ActiveStress implements ActiveFault {
  readonly family = "kubernetes";

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
    readonly pods: readonly string[],
    readonly fault: string,
    readonly ownerTag: string,
    readonly description: string,
  ) {}

  /** Each stress pod still exists and has not ended (deleted, evicted or OOM-killed by someone else). */
  async stillInPlace(): Promise<FaultPresence> {
    for (const name of this.pods) {
      try {
        const pod = await this.client.core.readNamespacedPod({ name, namespace: this.namespace });
        const phase = pod.status?.phase;
        if (pod.metadata?.deletionTimestamp)
          return {
            inPlace: false,
            why: `stress pod ${this.namespace}/${name} is being deleted by someone else`,
          };
        if (phase === "Failed" || phase === "Succeeded")
          return { inPlace: false, why: `stress pod ${this.namespace}/${name} ended early (${phase})` };
      } catch (err) {
        if (isNotFound(err))
          return { inPlace: false, why: `stress pod ${this.namespace}/${name} was deleted by someone else` };
        throw err;
      }
    }
    return { inPlace: true };
  }

  async revert(): Promise<void> {
    const failed: string[] = [];
    for (const name of this.pods) {
      try {
        await this.client.core.deleteNamespacedPod({
          name,
          namespace: this.namespace,
          gracePeriodSeconds: 0,
        });
      } catch (err) {
        if (!isNotFound(err)) failed.push(`${name}: ${kubeErrorText(err, "delete", "pods", this.namespace)}`);
      }
    }
    if (failed.length)
      throw new RollbackError(
        `could not delete stress pods (${failed.join("; ")}); they end themselves at their activeDeadlineSeconds`,
      );
  }

  async verifyReverted(): Promise<void> {
    const r = await waitUntil(async () => {
      const left: string[] = [];
      for (const name of this.pods) {
        try {
          await this.client.core.readNamespacedPod({ name, namespace: this.namespace });
          left.push(name);
        } catch (err) {
          if (!isNotFound(err))
            return { done: false, reason: kubeErrorText(err, "get", "pods", this.namespace) };
        }
      }
      return left.length
        ? { done: false, reason: `still there: ${left.join(", ")}` }
        : { done: true, value: 0 };
    }, 30_000);
    if (!r.ok)
      throw new RollbackError(
        `stress pods of fault "${this.fault}" in ${this.namespace} are not gone: ${r.reason}`,
      );
  }
}
