import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Deployment } from "@kubernetes/client-node";
import { REPO } from "./cli.js";

const run = promisify(execFile);
const SCRIPT = join(REPO, "scripts/kube/control-plane.sh");
export const KUBE_VERSION = "1.34.4";
const TOOLS = process.env.GAMEDAY_TOOLS ?? join(homedir(), ".cache", "gameday-tools");
export const KUBE_BIN = join(TOOLS, `kube-${KUBE_VERSION}`, "bin");
/** The real node's kubelet and pause binary (scripts/lib/kube.sh ensure_kubelet). */
export const KUBELET_BIN = join(TOOLS, `kubelet-${KUBE_VERSION}`, "bin");
/** Own state dir and ports: never the shared sandbox's. */
const ENV = {
  ...process.env,
  GAMEDAY_KUBE_STATE: join(REPO, ".gameday/kube-test"),
  GAMEDAY_KUBE_PORT_BASE: "26300", // below the ephemeral port range: an outgoing connection cannot hold it
};
export const KUBECONFIG = join(REPO, ".gameday/kube-test/kubeconfig");
export const ADMIN_CONTEXT = "gameday-admin";

export interface Cluster {
  kubeconfig: string;
  core: CoreV1Api;
  apps: AppsV1Api;
}

/** Starts the real control plane (reused if up); fails loudly when .ci/run has not built it. */
export async function startCluster(): Promise<Cluster> {
  const kwok = process.env.GAMEDAY_KUBE_KWOK === "0" ? [] : ["kwok"]; // control-plane.sh: no kwok pool
  for (const b of ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd", ...kwok, "kubectl"])
    if (!existsSync(join(KUBE_BIN, b)))
      throw new Error(
        `${b} is not built in ${KUBE_BIN}: run .ci/run, or \`bash scripts/kube/control-plane.sh build\` (a cold build takes tens of minutes)`,
      );
  for (const b of ["kubelet", "pause"])
    if (!existsSync(join(KUBELET_BIN, b)))
      throw new Error(
        `${b} is not built in ${KUBELET_BIN}: the real node needs it; run \`bash scripts/kube/control-plane.sh build\``,
      );
  try {
    await run("bash", [SCRIPT, "start"], { env: ENV, timeout: 300_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`the kube control plane did not start: ${e.stderr ?? e.message}`);
  }
  const kc = new KubeConfig();
  kc.loadFromFile(KUBECONFIG);
  return { kubeconfig: KUBECONFIG, core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
}

export async function stopCluster(): Promise<void> {
  await run("bash", [SCRIPT, "stop"], { env: ENV, timeout: 120_000 });
}

export async function kubectl(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(join(KUBE_BIN, "kubectl"), ["--kubeconfig", KUBECONFIG, ...args], { timeout: 60_000 });
}

export async function createNamespace(c: Cluster, name: string): Promise<void> {
  await c.core.createNamespace({ body: { metadata: { name } } });
  // Pods need the namespace's default service account, which the controller-manager creates.
  for (let i = 0; i < 100; i++) {
    try {
      await c.core.readNamespacedServiceAccount({ namespace: name, name: "default" });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`namespace ${name}: no default service account after 10 s`);
}

/** A Deployment whose pods kwok runs on the fake nodes (tainted gameday.dev/kwok, so only pods that tolerate it land there). */
export function deployment(name: string, replicas: number): V1Deployment {
  return {
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          nodeSelector: { type: "kwok" },
          // Admitted in a namespace that enforces PodSecurity "restricted" (the sandbox's does).
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65534,
            seccompProfile: { type: "RuntimeDefault" },
          },
          tolerations: [{ key: "gameday.dev/kwok", operator: "Exists", effect: "NoSchedule" }],
          containers: [
            {
              name: "app",
              image: "example.invalid/app:1",
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            },
          ],
        },
      },
    },
  };
}

/** The label scripts/kube/node.sh gives the real node (containerd + kubelet); kwok nodes run nothing. */
export const REAL_NODE = { "gameday.dev/node": "real" };
/** Built locally and imported into the node's containerd (scripts/kube/node-images.sh); never pulled. */
export const PAUSE_IMAGE = "gameday/pause:local";
export const STRESS_IMAGE = "gameday/stress-ng:local";

/** Fails loudly unless the real node is Ready: a test that needs real pods must never pass on kwok. */
export async function requireRealNode(c: Cluster): Promise<string> {
  const nodes = (await c.core.listNode({ labelSelector: "gameday.dev/node=real" })).items;
  const node = nodes[0];
  if (!node)
    throw new Error(
      "no real node (gameday.dev/node=real) in the test cluster: control-plane.sh start did not start the kubelet (see .gameday/kube-test/kubelet.log)",
    );
  const ready = node.status?.conditions?.find((x) => x.type === "Ready");
  if (ready?.status !== "True")
    throw new Error(`the real node ${node.metadata?.name} is not Ready: ${ready?.reason} ${ready?.message}`);
  return node.metadata?.name ?? "";
}

/** The kernel's OOM kills in a pod's memory cgroup (cgroup v1 memory.oom_control, v2 memory.events). */
export function oomKillsOf(podUid: string): number {
  const dirs = [
    ...globCgroups("/sys/fs/cgroup/memory", podUid, "memory.oom_control"),
    ...globCgroups("/sys/fs/cgroup", podUid, "memory.events"),
  ];
  let total = 0;
  for (const f of dirs) {
    let text = "";
    try {
      text = readFileSync(f, "utf8");
    } catch {} // removed since the walk
    const m = /oom_kill (\d+)/.exec(text);
    total += Number(m?.[1] ?? 0);
  }
  return total;
}

function globCgroups(root: string, podUid: string, file: string): string[] {
  const found: string[] = [];
  const want = `pod${podUid}`;
  const walk = (dir: string, depth: number) => {
    if (depth > 5) return;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e);
      // The kill is counted where the limit was hit: the pod's cgroup or one of its containers'.
      if (e === want) {
        let children: string[] = [];
        try {
          children = readdirSync(path).map((x) => join(path, x));
        } catch {} // the pod's cgroup went away
        for (const d of [path, ...children]) if (existsSync(join(d, file))) found.push(join(d, file));
      } else if (
        e.startsWith("gameday-kube-") ||
        e === "kubepods" ||
        e === "burstable" ||
        e === "besteffort"
      ) {
        walk(path, depth + 1);
      }
    }
  };
  walk(root, 0);
  return found;
}

/** A Deployment of real containers (the pause image) on the real node, on the host's network. */
export function realDeployment(name: string, replicas: number): V1Deployment {
  return {
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          nodeSelector: REAL_NODE,
          hostNetwork: true,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 1,
          containers: [{ name: "app", image: PAUSE_IMAGE, imagePullPolicy: "Never" }],
        },
      },
    },
  };
}

export async function waitDeploymentReady(c: Cluster, ns: string, name: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    const d = await c.apps.readNamespacedDeployment({ namespace: ns, name });
    const want = d.spec?.replicas ?? 1;
    last = `${d.status?.readyReplicas ?? 0}/${want} ready`;
    if ((d.status?.readyReplicas ?? 0) === want && (d.status?.replicas ?? 0) === want) return d;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`deployment ${ns}/${name} not ready after ${timeoutMs} ms (${last})`);
}

/** A targets file for the CLI naming this cluster, allow-listing `namespaces`. */
export function kubeTargets(
  namespaces: string[],
  extra = "",
): { dir: string; targets: string; stateDir: string } {
  const dir = mkdtempSync(join(tmpdir(), "gameday-kube-"));
  const targets = join(dir, "targets.yaml");
  writeFileSync(
    targets,
    `apiVersion: gameday/v1
kind: Targets
targets:
  kube:
    kubernetes:
      kubeconfig: ${KUBECONFIG}
      contexts: [${ADMIN_CONTEXT}]
      namespaces: [${namespaces.join(", ")}]
${extra}`,
  );
  return { dir, targets, stateDir: join(dir, "state") };
}
