import { homedir } from "node:os";
import { join } from "node:path";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { PreflightError } from "../../errors/gameday-error.js";
import type { KubernetesTarget } from "../../targets/kubernetes-target-schema.js";

/** The API clients of one allow-listed context. */
export interface KubeClient {
  readonly context: string;
  readonly server: string;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
}

/** `kubeconfig: in-cluster` in a target: the pod's own service account (the context is "inClusterContext"). */
export const IN_CLUSTER = "in-cluster";

function kubeconfigPath(target: KubernetesTarget): string {
  return target.kubeconfig ?? process.env.KUBECONFIG?.split(":")[0] ?? join(homedir(), ".kube", "config");
}

/**
 * Opens the named context, refusing any context the target does not allow-list: the kubeconfig's
 * current-context is never used implicitly, so a stale `kubectl config use-context` cannot redirect a fault.
 */
export function openKubeClient(target: KubernetesTarget, context?: string): KubeClient {
  const name = context ?? target.contexts[0];
  if (name === undefined || !target.contexts.includes(name))
    throw new PreflightError(
      `kubernetes context "${context}" is not in the target's allow-list (allowed: ${target.contexts.join(", ")})`,
    );
  const file = kubeconfigPath(target);
  const kc = new KubeConfig();
  try {
    // In a pod: the service account's token and CA; its one context is named inClusterContext.
    if (file === IN_CLUSTER) kc.loadFromCluster();
    else kc.loadFromFile(file);
  } catch (err) {
    throw new PreflightError(`cannot read kubeconfig ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (!kc.getContexts().some((c) => c.name === name))
    throw new PreflightError(
      `kubeconfig ${file} has no context "${name}" (it has: ${
        kc
          .getContexts()
          .map((c) => c.name)
          .join(", ") || "none"
      })`,
    );
  kc.setCurrentContext(name);
  return {
    context: name,
    server: kc.getCurrentCluster()?.server ?? "?",
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
  };
}
