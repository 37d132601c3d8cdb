import { RollbackError } from "../../errors/gameday-error.js";
import type { ActiveFault, FaultPresence } from "../../interfaces/injector.js";
import type { KubeClient } from "./kube-client.js";
import { kubeErrorText } from "./kube-errors.js";
import { isReady } from "./select-pods.js";
import { waitUntil } from "./wait-until.js";

/**
 * Deleted pods cannot be put back: their controllers replace them. Revert therefore has nothing to
 * undo, and verification waits until as many Ready pods match the selector as before the deletion.
 */
export class ActivePodDelete implements ActiveFault {
  readonly family = "kubernetes";
  /** Milliseconds from the deletion to a Ready replacement for every deleted pod, as gameday observed it. */
  replacedAfterMs: number | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
    private readonly selector: string,
    private readonly deleted: readonly string[],
    private readonly readyBefore: number,
    private readonly deletedAt: number,
    private readonly readyTimeoutMs: number,
    readonly fault: string,
    readonly ownerTag: string,
    readonly description: string,
  ) {}

  /** A deletion is a moment, not a state: nothing of it can be undone by someone else. */
  async stillInPlace(): Promise<FaultPresence> {
    return { inPlace: true };
  }

  async revert(): Promise<void> {}

  async verifyReverted(): Promise<void> {
    const gone = new Set(this.deleted);
    const r = await waitUntil(async () => {
      let pods: Awaited<ReturnType<typeof this.client.core.listNamespacedPod>>["items"];
      try {
        pods = (
          await this.client.core.listNamespacedPod({
            namespace: this.namespace,
            labelSelector: this.selector,
          })
        ).items;
      } catch (err) {
        return { done: false, reason: kubeErrorText(err, "list", "pods", this.namespace) };
      }
      const ready = pods.filter((p) => isReady(p) && !gone.has(p.metadata?.name ?? ""));
      if (ready.length >= this.readyBefore) return { done: true, value: ready.length };
      return { done: false, reason: `${ready.length} of ${this.readyBefore} pods Ready` };
    }, this.readyTimeoutMs);
    if (!r.ok)
      throw new RollbackError(
        `the pods deleted by fault "${this.fault}" (${this.deleted.join(", ")}) were not replaced by Ready pods ` +
          `matching "${this.selector}" in ${this.namespace} within ${this.readyTimeoutMs} ms: ${r.reason}`,
      );
    this.replacedAfterMs ??= Date.now() - this.deletedAt;
  }
}
