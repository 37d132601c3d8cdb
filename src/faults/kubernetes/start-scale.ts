import { PreflightError } from "../../errors/gameday-error.js";
import type { KubernetesFaultSpec } from "../../experiment/kubernetes-fault-schema.js";
import { ownerTag } from "../../interfaces/injector.js";
import { ActiveScale } from "./active-scale.js";
import type { KubeClient } from "./kube-client.js";
import { isNotFound, kubeErrorText, statusOf } from "./kube-errors.js";
import { ownerAnnotations, ownerLabels, REPLICAS_ANNOTATION, RUN_LABEL } from "./owner-labels.js";
import { infra } from "./select-pods.js";
import { parseWorkload, type Workload, WorkloadApi } from "./workload-api.js";

type ScaleSpec = Extract<KubernetesFaultSpec, { action: "scale-to-zero" }>;

/** Reads the workload, refusing one another run already holds at zero (its count would be lost). */
export async function readWorkload(client: KubeClient, spec: ScaleSpec, fault: string): Promise<Workload> {
  const { kind, name } = parseWorkload(spec.workload);
  const api = new WorkloadApi(client, kind);
  let w: Workload;
  try {
    w = await api.read(spec.namespace, name);
  } catch (err) {
    if (isNotFound(err))
      throw new PreflightError(
        `fault "${fault}": ${kind} ${spec.namespace}/${name} does not exist (context ${client.context})`,
      );
    throw new PreflightError(`fault "${fault}": ${kubeErrorText(err, "get", api.resource, spec.namespace)}`, {
      cause: err,
    });
  }
  const holder = w.metadata?.labels?.[RUN_LABEL];
  if (holder)
    throw new PreflightError(
      `fault "${fault}": ${kind} ${spec.namespace}/${name} is already scaled down by gameday run ${holder}; run \`gameday recover\` first`,
    );
  return w;
}

export async function startScale(
  client: KubeClient,
  spec: ScaleSpec,
  fault: string,
  runId: string,
  installation?: string,
): Promise<ActiveScale> {
  const { kind, name } = parseWorkload(spec.workload);
  const api = new WorkloadApi(client, kind);
  // resourceVersion makes the patch fail if the workload changed since it was read, so the recorded
  // count is exact; the controller's status writes change it too, so a conflict is re-read and retried.
  let previous = 0;
  for (let attempt = 1; ; attempt++) {
    const w = await readWorkload(client, spec, fault);
    previous = w.spec?.replicas ?? 1;
    const body = {
      metadata: {
        resourceVersion: w.metadata?.resourceVersion,
        labels: ownerLabels(runId, fault, installation),
        annotations: {
          ...ownerAnnotations(runId, fault, installation),
          [REPLICAS_ANNOTATION]: String(previous),
        },
      },
      spec: { replicas: 0 },
    };
    try {
      await api.patch(spec.namespace, name, body);
      break;
    } catch (err) {
      if (statusOf(err) === 409 && attempt < 5) continue;
      throw infra(fault, err, "patch", api.resource, spec.namespace);
    }
  }
  return new ActiveScale(
    api,
    spec.namespace,
    name,
    previous,
    spec.readyTimeout,
    fault,
    ownerTag(runId, fault, installation),
    `${kind} ${spec.namespace}/${name} scaled from ${previous} to 0 replicas`,
  );
}
