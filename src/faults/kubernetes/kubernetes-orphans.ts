import { type OrphanFault, ownerTag } from "../../interfaces/injector.js";
import { ActiveScale } from "./active-scale.js";
import { ActiveStress } from "./active-stress.js";
import type { KubeClient } from "./kube-client.js";
import {
  FAULT_LABEL,
  INSTALLATION_LABEL,
  OWNER_ANNOTATION,
  ownedSelector,
  REPLICAS_ANNOTATION,
  RUN_LABEL,
} from "./owner-labels.js";
import { WorkloadApi, type WorkloadKind } from "./workload-api.js";

/** What `gameday recover` found by label: a scaled-down workload or a stress pod. */
export type KubernetesOrphan = OrphanFault & {
  /** The allow-listed context it was found through, and is reverted through. */
  context: string;
  namespace: string;
  kind: WorkloadKind | "pod";
  name: string;
  fault: string;
  previousReplicas?: number;
};

function orphanOf(
  context: string,
  kind: KubernetesOrphan["kind"],
  namespace: string,
  meta: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> } | undefined,
): KubernetesOrphan {
  const runId = meta?.labels?.[RUN_LABEL] ?? "";
  const fault = meta?.labels?.[FAULT_LABEL] ?? "";
  const name = meta?.name ?? "?";
  const previous = Number(meta?.annotations?.[REPLICAS_ANNOTATION]);
  const what =
    kind === "pod"
      ? `stress pod ${namespace}/${name}`
      : `${kind} ${namespace}/${name} scaled down (previously ${Number.isFinite(previous) ? previous : "unknown"} replicas)`;
  return {
    family: "kubernetes",
    ownerTag: meta?.annotations?.[OWNER_ANNOTATION] ?? ownerTag(runId, fault),
    runId,
    installation: meta?.labels?.[INSTALLATION_LABEL] || undefined,
    description: `${what} (context ${context})`,
    context,
    namespace,
    kind,
    name,
    fault,
    ...(Number.isFinite(previous) ? { previousReplicas: previous } : {}),
  };
}

/** Everything labelled by gameday (one run, or every run) in the allow-listed namespaces. */
export async function listKubeOrphans(client: KubeClient, namespaces: readonly string[], runId?: string) {
  const selector = ownedSelector(runId);
  const found: KubernetesOrphan[] = [];
  for (const namespace of namespaces) {
    for (const kind of ["deployment", "statefulset"] as const)
      for (const w of await new WorkloadApi(client, kind).list(namespace, selector))
        found.push(orphanOf(client.context, kind, namespace, w.metadata));
    const pods = await client.core.listNamespacedPod({ namespace, labelSelector: selector });
    for (const p of pods.items) found.push(orphanOf(client.context, "pod", namespace, p.metadata));
  }
  return found;
}

/** Reverts through the same code as a live fault; a workload without its annotation cannot be restored. */
export async function revertKubeOrphan(client: KubeClient, o: KubernetesOrphan, readyTimeoutMs = 60_000) {
  const active =
    o.kind === "pod"
      ? new ActiveStress(client, o.namespace, [o.name], o.fault, o.ownerTag, o.description)
      : new ActiveScale(
          new WorkloadApi(client, o.kind),
          o.namespace,
          o.name,
          o.previousReplicas ?? Number.NaN,
          readyTimeoutMs,
          o.fault,
          o.ownerTag,
          o.description,
        );
  if (o.kind !== "pod" && o.previousReplicas === undefined)
    throw new Error(
      `${o.description}: the ${REPLICAS_ANNOTATION} annotation is missing, so the count to restore is unknown`,
    );
  await active.revert();
  await active.verifyReverted();
}
