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

function kubeconfigOf(kubeconfig: string | undefined): string {
  if (kubeconfig === "in-cluster") return "in-cluster";
  return resolve(kubeconfig ?? process.env.KUBECONFIG?.split(":")[0] ?? join(homedir(), ".kube", "config"));
}

/**
 * What a target reaches, one name per allow-listed thing behind a resolved endpoint (a proxy of a
 * Toxiproxy URL, a compose project or label on a Docker socket, a namespace through a context): two
 * targets (or two targets files, or a CLI run and a worker) that overlap anywhere then share a lock,
 * whatever they are called; targets on separate proxies of one Toxiproxy still run side by side.
 * A target with no fault endpoint locks its name.
 */
export function endpointLockNames(targetName: string, target: Target): string[] {
  const names = new Set<string>();
  const toxiproxy = (url: string, proxies: readonly string[]) => {
    for (const p of proxies) names.add(`toxiproxy ${origin(url)} proxy ${p}`);
  };
  if (target.toxiproxy) toxiproxy(target.toxiproxy.url, target.toxiproxy.proxies);
  const d = target.docker;
  if (d) {
    const socket = `docker unix://${resolve(d.socket)}`;
    for (const p of d.projects) names.add(`${socket} project ${p}`);
    for (const [k, v] of Object.entries(d.labels)) names.add(`${socket} label ${k}=${v}`);
  }
  // A service's control endpoint: two targets naming it share the lock, whatever else they reach.
  for (const s of Object.values(target.app?.services ?? {})) names.add(`app ${origin(s.control)}`);
  const k = target.kubernetes;
  if (k) {
    const kubeconfig = kubeconfigOf(k.kubeconfig);
    for (const context of k.contexts)
      for (const ns of k.namespaces) names.add(`kubernetes ${kubeconfig}#${context} namespace ${ns}`);
    if (k.toxiproxy) toxiproxy(k.toxiproxy.url, k.toxiproxy.proxies);
  }
  if (names.size === 0) names.add(`target ${targetName}`);
  return [...names].sort();
}
