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
    .regex(/^[^\s@]+@sha256:[0-9a-f]{64}$/, {
      error: "expected an image pinned by digest (name@sha256:<64 hex digits>)",
    })
    .optional()
    .describe("the image of memory-pressure stress pods (stress-ng on its PATH), pinned by digest"),
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
