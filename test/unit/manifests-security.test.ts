import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { V1Pod, V1PodSpec } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { faultSchema } from "../../src/experiment/schema.js";
import { KubernetesInjector } from "../../src/faults/kubernetes/kubernetes-injector.js";
import { stressPod } from "../../src/faults/kubernetes/stress-pod.js";
import { kubernetesTargetSchema } from "../../src/targets/kubernetes-target-schema.js";
import { REPO } from "../support/cli.js";

type Doc = {
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
};

/** Files an overlay's kustomization.yaml applies as patches: partial documents, checked through their base. */
function patchFiles(dir: string): Set<string> {
  let k: { patches?: { path?: string }[] } | undefined;
  try {
    k = parseAllDocuments(readFileSync(join(dir, "kustomization.yaml"), "utf8"))[0]?.toJS() as typeof k;
  } catch {
    return new Set();
  }
  return new Set((k?.patches ?? []).flatMap((p) => (p.path ? [p.path] : [])));
}

function manifests(dir = join(REPO, "manifests")): { file: string; doc: Doc }[] {
  const out: { file: string; doc: Doc }[] = [];
  const patches = patchFiles(dir);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...manifests(path));
    else if (name.endsWith(".yaml") && name !== "kustomization.yaml" && !patches.has(name))
      for (const d of parseAllDocuments(readFileSync(path, "utf8"))) {
        const doc = d.toJS() as Doc | null;
        if (doc?.kind) out.push({ file: path.slice(REPO.length), doc });
      }
  }
  return out;
}

function at(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) v = v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

function podSpecOf(doc: Doc): V1PodSpec | undefined {
  if (doc.kind === "CronJob")
    return at(doc.spec, "jobTemplate", "spec", "template", "spec") as V1PodSpec | undefined;
  if (doc.kind === "Pod") return doc.spec as V1PodSpec | undefined;
  return at(doc.spec, "template", "spec") as V1PodSpec | undefined;
}

/** Everything PodSecurity "restricted" asks, plus our own rules: read-only root and CPU/memory limits. */
function problems(pod: V1PodSpec, serviceAccountNeeded: boolean): string[] {
  const out: string[] = [];
  if (!serviceAccountNeeded && pod.automountServiceAccountToken !== false)
    out.push("mounts a service-account token");
  if (pod.securityContext?.seccompProfile?.type !== "RuntimeDefault")
    out.push("pod: no RuntimeDefault seccomp");
  if (pod.tolerations?.some((t) => t.operator === "Exists" && !t.key)) out.push("tolerates every taint");
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
    const sc = c.securityContext ?? {};
    const nonRoot = sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
    if (nonRoot !== true) out.push(`${c.name}: may run as root`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${c.name}: privilege escalation allowed`);
    if (sc.privileged) out.push(`${c.name}: privileged`);
    if (sc.readOnlyRootFilesystem !== true) out.push(`${c.name}: writable root filesystem`);
    if (!sc.capabilities?.drop?.includes("ALL")) out.push(`${c.name}: capabilities not dropped`);
    if (!c.resources?.limits?.cpu || !c.resources?.limits?.memory)
      out.push(`${c.name}: no CPU and memory limits`);
  }
  return out;
}

describe("manifests/ and the stress pod are locked down", () => {
  const all = manifests();

  it("every workload sets a restricted securityContext, a read-only root and CPU/memory limits", () => {
    const pods = all.filter((m) => podSpecOf(m.doc));
    expect(pods.length).toBeGreaterThanOrEqual(7);
    const found = pods.flatMap((m) => {
      const spec = podSpecOf(m.doc) as V1PodSpec;
      return problems(spec, spec.serviceAccountName === "gameday-worker").map(
        (p) => `${m.file} ${m.doc.metadata?.name}: ${p}`,
      );
    });
    expect(found).toEqual([]);
  });

  it("the sandbox namespace enforces PodSecurity restricted", () => {
    const ns = all.find((m) => m.doc.kind === "Namespace" && m.doc.metadata?.name === "gameday-sandbox");
    expect(ns?.doc.metadata?.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  it("Redis requires a password from a Secret, and NetworkPolicies guard Redis and Toxiproxy's admin API", () => {
    const redis = all.find((m) => m.doc.kind === "Deployment" && m.doc.metadata?.name === "redis");
    const c = (podSpecOf(redis?.doc ?? {}) as V1PodSpec).containers[0];
    expect(c?.args).toContain("--requirepass");
    expect(c?.env?.find((e) => e.name === "REDIS_PASSWORD")?.valueFrom?.secretKeyRef?.name).toBe(
      "gameday-redis",
    );
    const policies = all.filter((m) => m.doc.kind === "NetworkPolicy").map((m) => JSON.stringify(m.doc.spec));
    expect(policies.some((p) => p.includes('"app":"redis"') && p.includes("6379"))).toBe(true);
    expect(policies.some((p) => p.includes('"app":"toxiproxy"') && p.includes("8474"))).toBe(true);
    const clients = all.filter(
      (x) => ["gameday-worker", "monthly-game-day"].includes(x.doc.metadata?.name ?? "") && podSpecOf(x.doc),
    );
    expect(clients).toHaveLength(2);
    for (const m of clients) {
      const env = JSON.stringify((podSpecOf(m.doc) as V1PodSpec).containers[0]?.env);
      expect(env).toContain("$(REDIS_PASSWORD)@redis.gameday");
    }
  });

  it("workers mount their own targets file and pass it with --targets", () => {
    const worker = all.find((m) => m.doc.metadata?.name === "gameday-worker" && m.doc.kind === "Deployment");
    const c = (podSpecOf(worker?.doc ?? {}) as V1PodSpec).containers[0];
    expect(c?.command).toEqual(expect.arrayContaining(["worker", "--targets", "/etc/gameday/targets.yaml"]));
  });

  const DIGEST = `example.invalid/stress-ng@sha256:${"a".repeat(64)}`;
  const target: V1Pod = { metadata: { name: "payments-1" }, spec: { nodeName: "n1", containers: [] } };

  it("the stress pod: image from the targets file, restricted, no token, no blanket toleration", () => {
    const pod = stressPod({
      target,
      memory: "64Mi",
      image: DIGEST,
      durationMs: 10_000,
      runId: "r",
      fault: "f",
      installation: "i1",
    });
    expect(problems(pod.spec as V1PodSpec, false)).toEqual([]);
    expect(pod.spec?.tolerations).toBeUndefined();
    expect(pod.spec?.containers[0]?.image).toBe(DIGEST);
    expect(pod.metadata?.labels?.["gameday.dev/installation"]).toBe("i1");
  });

  it("an experiment cannot choose the stress image, and the targets file must pin one by digest", async () => {
    const fault = (extra: object) =>
      faultSchema.parse({
        name: "mem",
        for: "10s",
        kubernetes: {
          action: "memory-pressure",
          namespace: "ns",
          selector: "app=x",
          memory: "64Mi",
          ...extra,
        },
      });
    const inj = (stressImage?: string) =>
      new KubernetesInjector(
        kubernetesTargetSchema.parse({
          kubeconfig: "/nonexistent",
          contexts: ["c"],
          namespaces: ["ns"],
          ...(stressImage ? { stressImage } : {}),
        }),
      );
    await expect(inj(DIGEST).plan(fault({ image: "evil/miner:latest" }))).rejects.toThrow(
      /cannot come from the experiment/,
    );
    await expect(inj().plan(fault({}))).rejects.toThrow(/has no stressImage/);
    expect(
      kubernetesTargetSchema.safeParse({
        contexts: ["c"],
        namespaces: ["n"],
        stressImage: "stress-ng:latest",
      }).success,
    ).toBe(false);
  });
});
