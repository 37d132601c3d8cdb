import { join } from "node:path";
import { defaultPorts, type SandboxPorts } from "../sandbox-layout.js";
import { toolsDir } from "../tools.js";

/** The Kubernetes release of scripts/lib/kube.sh, whose kubectl renders and applies the manifests. */
export const KUBE_VERSION = "1.34.4";

/** Pods use the host's network: their ports sit 2500 above the process sandbox's (manifests/sandbox-node). */
export const KUBE_PORT_OFFSET = 2500;
export const KUBE_NAMESPACE = "gameday-sandbox";
export const KUBE_CONTEXT = "gameday-admin";
/** The label scripts/kube/node.sh gives the real node; the sandbox's pods select it. */
export const REAL_NODE_LABEL = "gameday.dev/node=real";
/** Set on the node by control-plane.sh: the kubelet's read-only port, whose cAdvisor metrics Prometheus scrapes. */
export const READ_ONLY_PORT_ANNOTATION = "gameday.dev/kubelet-read-only-port";

/** The images the manifests name, as containerd lists them once imported. */
export const NODE_IMAGES = [
  "docker.io/gameday/sandbox:local",
  "docker.io/gameday/toxiproxy:2.12.0",
  "docker.io/gameday/prometheus:local",
] as const;

export interface KubeSandboxOptions {
  /** Default $GAMEDAY_KUBECONFIG, else the local cluster's (.gameday/kube/kubeconfig of this checkout). */
  kubeconfig?: string;
  context?: string;
  /** Where the rendered overlay lives; default .gameday/kube-sandbox. */
  stateDir?: string;
  breaks?: string[];
  log?: (line: string) => void;
  timeoutMs?: number;
}

export function kubePorts(): SandboxPorts {
  return defaultPorts(KUBE_PORT_OFFSET);
}

export function kubeconfigOf(opts: KubeSandboxOptions, packageRoot: string): string {
  return (
    opts.kubeconfig ?? process.env.GAMEDAY_KUBECONFIG ?? join(packageRoot, ".gameday", "kube", "kubeconfig")
  );
}

export function kubectlBin(): string {
  return process.env.GAMEDAY_KUBECTL ?? join(toolsDir(), `kube-${KUBE_VERSION}`, "bin", "kubectl");
}
