import { type FaultSpec, faultSchema } from "../../src/experiment/schema.js";
import { KubernetesInjector } from "../../src/faults/kubernetes/kubernetes-injector.js";
import { kubernetesTargetSchema } from "../../src/targets/kubernetes-target-schema.js";
import { ADMIN_CONTEXT, KUBECONFIG } from "../support/kube-cluster.js";

/** A fault spec as the loader would produce it, from the YAML-ish object of its kubernetes key. */
export function kubeFault(name: string, kubernetes: object, forMs = "10s"): FaultSpec {
  return faultSchema.parse({ name, for: forMs, kubernetes });
}

/** kwok runs no containers: any image pinned by digest will do. */
const KWOK_STRESS_IMAGE = `example.invalid/stress-ng@sha256:${"0".repeat(64)}`;

export function injectorFor(namespaces: string[], overrides: object = {}): KubernetesInjector {
  return new KubernetesInjector(
    kubernetesTargetSchema.parse({
      kubeconfig: KUBECONFIG,
      contexts: [ADMIN_CONTEXT],
      namespaces,
      stressImage: KWOK_STRESS_IMAGE,
      ...overrides,
    }),
  );
}

let seq = 0;
/** Run ids are label values: short, lowercase, unique per test. */
export const testRunId = () => `t${Date.now().toString(36)}-${(seq++).toString(36)}`;
