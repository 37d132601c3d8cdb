import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { Target } from "../targets/targets-schema.js";

function origin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}`;
  } catch {
    return url;
  }
}

/**
 * What a target reaches, one name per endpoint faults go through: two targets (or two target files,
 * or a CLI run and a worker) naming the same Toxiproxy, Docker socket or cluster context then share
 * a lock, whatever they are called. A target with no fault endpoint locks its name.
 */
export function endpointLockNames(targetName: string, target: Target): string[] {
  const names = new Set<string>();
  if (target.toxiproxy) names.add(`toxiproxy ${origin(target.toxiproxy.url)}`);
  if (target.docker) names.add(`docker unix://${resolve(target.docker.socket)}`);
  const k = target.kubernetes;
  if (k) {
    const kubeconfig =
      k.kubeconfig === "in-cluster"
        ? "in-cluster"
        : resolve(
            k.kubeconfig ?? process.env.KUBECONFIG?.split(":")[0] ?? join(homedir(), ".kube", "config"),
          );
    for (const context of k.contexts) names.add(`kubernetes ${kubeconfig}#${context}`);
    if (k.toxiproxy) names.add(`toxiproxy ${origin(k.toxiproxy.url)}`);
  }
  if (names.size === 0) names.add(`target ${targetName}`);
  return [...names].sort();
}
