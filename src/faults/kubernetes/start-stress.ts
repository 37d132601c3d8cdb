import type { KubernetesFaultSpec } from "../../experiment/kubernetes-fault-schema.js";
import { ownerTag } from "../../interfaces/injector.js";
import { ActiveStress } from "./active-stress.js";
import type { KubeClient } from "./kube-client.js";
import { choosePods, infra, matchingPods, podName } from "./select-pods.js";
import { stressPod } from "./stress-pod.js";

type StressSpec = Extract<KubernetesFaultSpec, { action: "memory-pressure" }>;

/** One stress pod beside each chosen pod; if a create fails, those already made are deleted again. */
export async function startStress(
  client: KubeClient,
  spec: StressSpec,
  fault: string,
  runId: string,
  durationMs: number,
  image: string,
  installation?: string,
): Promise<ActiveStress> {
  const targets = choosePods(spec, await matchingPods(client, spec, fault));
  const created: string[] = [];
  const tag = ownerTag(runId, fault, installation);
  for (const target of targets) {
    const body = stressPod({ target, memory: spec.memory, image, durationMs, runId, fault, installation });
    try {
      const pod = await client.core.createNamespacedPod({ namespace: spec.namespace, body });
      created.push(pod.metadata?.name ?? "?");
    } catch (err) {
      await new ActiveStress(client, spec.namespace, created, fault, tag, "").revert().catch(() => undefined);
      throw infra(fault, err, "create", "pods", spec.namespace);
    }
  }
  const beside = targets.map(podName).join(", ");
  return new ActiveStress(
    client,
    spec.namespace,
    created,
    fault,
    tag,
    `memory pressure of ${spec.memory} beside ${beside} in ${spec.namespace} (stress pods ${created.join(", ")})`,
  );
}
