import { PreflightError } from "../../errors/gameday-error.js";
import type { FaultSpec } from "../../experiment/schema.js";
import type { KubernetesTarget } from "../../targets/kubernetes-target-schema.js";
import { ToxiproxyInjector } from "../toxiproxy/toxiproxy-injector.js";
import type { KubeClient } from "./kube-client.js";
import { isNotFound, kubeErrorText } from "./kube-errors.js";
import { readyState } from "./workload-api.js";

export type ClusterToxiproxy = NonNullable<KubernetesTarget["toxiproxy"]>;

/** The toxiproxy fault inside a kubernetes network fault, for the Toxiproxy injector to apply. */
export function asToxiproxyFault(fault: FaultSpec): FaultSpec {
  const k = fault.kubernetes;
  if (k?.action !== "network")
    throw new PreflightError(`fault "${fault.name}" is not a kubernetes network fault`);
  return { name: fault.name, at: fault.at, for: fault.for, toxiproxy: k.toxiproxy };
}

/** The in-cluster Toxiproxy's injector; the toxics themselves carry the owner tag as their name. */
export function clusterToxiproxyInjector(tp: ClusterToxiproxy): ToxiproxyInjector {
  return new ToxiproxyInjector({ url: tp.url, proxies: tp.proxies });
}

/** The Toxiproxy Deployment and its Service must exist and be Ready, or the toxic would protect nothing. */
export async function checkClusterToxiproxy(
  client: KubeClient,
  tp: ClusterToxiproxy,
  fault: string,
): Promise<string> {
  const ref = `deployment ${tp.namespace}/${tp.deployment}`;
  try {
    const d = await client.apps.readNamespacedDeployment({ namespace: tp.namespace, name: tp.deployment });
    const s = readyState(d);
    if (!s.ready) throw new PreflightError(`fault "${fault}": Toxiproxy ${ref} is not Ready (${s.text})`);
    await client.core.readNamespacedService({ namespace: tp.namespace, name: tp.deployment });
  } catch (err) {
    if (err instanceof PreflightError) throw err;
    if (isNotFound(err))
      throw new PreflightError(
        `fault "${fault}": the Toxiproxy ${ref} or its Service ${tp.deployment} does not exist (context ${client.context}); deploy manifests/sandbox`,
      );
    throw new PreflightError(`fault "${fault}": ${kubeErrorText(err, "get", "deployments", tp.namespace)}`, {
      cause: err,
    });
  }
  return ref;
}
