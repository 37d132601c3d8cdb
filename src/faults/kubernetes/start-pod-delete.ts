import type { KubernetesFaultSpec } from "../../experiment/kubernetes-fault-schema.js";
import { ownerTag } from "../../interfaces/injector.js";
import { ActivePodDelete } from "./active-pod-delete.js";
import type { KubeClient } from "./kube-client.js";
import { isNotFound } from "./kube-errors.js";
import { choosePods, infra, isReady, matchingPods, podName } from "./select-pods.js";

type PodDeleteSpec = Extract<KubernetesFaultSpec, { action: "pod-delete" }>;

/** Deletes the chosen pods; one that vanished on its own meanwhile counts as deleted. */
export async function startPodDelete(
  client: KubeClient,
  spec: PodDeleteSpec,
  fault: string,
  runId: string,
  installation?: string,
): Promise<ActivePodDelete> {
  const pods = await matchingPods(client, spec, fault);
  const readyBefore = pods.filter(isReady).length;
  const chosen = choosePods(spec, pods).map(podName);
  const deletedAt = Date.now();
  const gracePeriodSeconds = Math.ceil(spec.gracePeriod / 1000);
  for (const name of chosen) {
    try {
      await client.core.deleteNamespacedPod({ name, namespace: spec.namespace, gracePeriodSeconds });
    } catch (err) {
      if (!isNotFound(err)) throw infra(fault, err, "delete", "pods", spec.namespace);
    }
  }
  return new ActivePodDelete(
    client,
    spec.namespace,
    spec.selector,
    chosen,
    readyBefore,
    deletedAt,
    spec.readyTimeout,
    fault,
    ownerTag(runId, fault, installation),
    `pod-delete of ${chosen.join(", ")} in ${spec.namespace} (selector "${spec.selector}")`,
  );
}
