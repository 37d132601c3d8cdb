import type { V1Pod } from "@kubernetes/client-node";
import { InfrastructureError, PreflightError } from "../../errors/gameday-error.js";
import type { KubernetesFaultSpec } from "../../experiment/kubernetes-fault-schema.js";
import { takeRandom, wantedCount } from "../blast-radius.js";
import type { KubeClient } from "./kube-client.js";
import { kubeErrorText } from "./kube-errors.js";
import { RUN_LABEL } from "./owner-labels.js";

type Selecting = Extract<KubernetesFaultSpec, { selector: string }>;

/** Pods that are candidates: matching, not already terminating, and not gameday's own helpers. */
export async function matchingPods(client: KubeClient, spec: Selecting, fault: string): Promise<V1Pod[]> {
  let items: V1Pod[];
  try {
    items = (await client.core.listNamespacedPod({ namespace: spec.namespace, labelSelector: spec.selector }))
      .items;
  } catch (err) {
    throw new PreflightError(`fault "${fault}": ${kubeErrorText(err, "list", "pods", spec.namespace)}`, {
      cause: err,
    });
  }
  const pods = items.filter(
    (p) => !p.metadata?.deletionTimestamp && p.metadata?.labels?.[RUN_LABEL] === undefined,
  );
  if (pods.length === 0)
    throw new PreflightError(
      `fault "${fault}": selector "${spec.selector}" matches no pod in namespace ${spec.namespace} (context ${client.context}); nothing was touched`,
    );
  return pods;
}

/** How many of `total` pods the mode takes, never more than the ceiling. */
function countFor(spec: Selecting, total: number): number {
  return Math.min(wantedCount(spec, total), total, spec.max);
}

/** A random subset, so repeated game days do not always hit the same pod. */
export function choosePods(spec: Selecting, pods: V1Pod[]): V1Pod[] {
  return takeRandom(pods, countFor(spec, pods.length));
}

export function describeSelection(spec: Selecting, total: number): string {
  const n = countFor(spec, total);
  const mode =
    spec.mode === "fixed" ? `fixed ${spec.count}` : spec.mode === "percent" ? `${spec.percent}%` : spec.mode;
  return `${n} of ${total} pod(s) matching "${spec.selector}" in ${spec.namespace} (mode ${mode}, ceiling ${spec.max})`;
}

export const podName = (p: V1Pod) => p.metadata?.name ?? "?";

export function isReady(p: V1Pod): boolean {
  return (
    !p.metadata?.deletionTimestamp &&
    p.status?.phase === "Running" &&
    (p.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True")
  );
}

export function infra(
  fault: string,
  err: unknown,
  verb: string,
  resource: string,
  ns: string,
): InfrastructureError {
  return new InfrastructureError(`fault "${fault}": ${kubeErrorText(err, verb, resource, ns)}`, {
    cause: err,
  });
}
