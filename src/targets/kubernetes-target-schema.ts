import { z } from "zod";
import { httpUrl } from "./http-url.js";

/**
 * A cluster gameday may touch: the kubeconfig, the contexts it may use (any other is refused, so a
 * fault never lands on a cluster nobody meant) and the namespaces faults may touch.
 */
export const kubernetesTargetSchema = z.strictObject({
  kubeconfig: z
    .string()
    .min(1)
    .optional()
    .describe('path of the kubeconfig, or "in-cluster" in a pod; default: $KUBECONFIG, then ~/.kube/config'),
  contexts: z
    .array(z.string().min(1))
    .min(1)
    .describe("allow-list of kubeconfig contexts; faults use the first unless they name another"),
  namespaces: z.array(z.string().min(1)).min(1).describe("allow-list of namespaces faults may touch"),
  stressImage: z
    .string()
    // A digest cannot be swapped under us by a registry. The one exception is an image the node's
    // operator imported into containerd (`<name>:local`, never pulled: imagePullPolicy Never), as on
    // a machine without a registry; a tag ending in :local can only come from that import.
    .regex(/^(?:[^\s@]+@sha256:[0-9a-f]{64}|[a-z0-9][a-z0-9./_-]{0,200}:local)$/, {
      error:
        "expected an image pinned by digest (name@sha256:<64 hex digits>), or a locally imported <name>:local",
    })
    .optional()
    .describe(
      "the image of memory-pressure stress pods (stress-ng on its PATH), pinned by digest (or <name>:local, imported into the node, never pulled)",
    ),
  toxiproxy: z
    .strictObject({
      namespace: z.string().min(1).describe("where the in-cluster Toxiproxy Deployment and Service run"),
      deployment: z.string().min(1).default("toxiproxy"),
      url: httpUrl.describe("its API as gameday reaches it (a port-forward, a NodePort, an ingress)"),
      proxies: z.array(z.string().min(1)).min(1).describe("allow-list of proxies network faults may touch"),
    })
    .optional()
    .describe("the Toxiproxy in front of the cluster's dependencies, for network faults"),
});

export type KubernetesTarget = z.infer<typeof kubernetesTargetSchema>;
