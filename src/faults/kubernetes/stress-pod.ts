import type { V1Pod } from "@kubernetes/client-node";
import { ownerAnnotations, ownerLabels } from "./owner-labels.js";

/** Seconds the kubelet lets the stress pod live past the fault's end before killing it itself. */
export const DEADLINE_SLACK_S = 30;

export interface StressPodInput {
  target: V1Pod;
  memory: string;
  image: string;
  durationMs: number;
  runId: string;
  fault: string;
  installation?: string | undefined;
}

/** Non-root, no privilege, nothing writable but its own memory: admitted by PodSecurity `restricted`. */
const RESTRICTED = {
  runAsNonRoot: true,
  runAsUser: 65534,
  runAsGroup: 65534,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/** stress-ng's sizes are binary but without the "i": a Kubernetes 256Mi is its 256M (it rejects "256Mi"). */
export function stressNgBytes(quantity: string): string {
  return quantity.replace(/([KMG])i$/, "$1");
}

/**
 * A pod pinned to the target's node (nodeName skips the scheduler) that allocates `memory`.
 * Two dead-man's switches end it if gameday dies: stress-ng's own --timeout, and
 * activeDeadlineSeconds, which the kubelet enforces even if the process ignores signals.
 * (Not an ephemeral container: those can never be removed from a pod, so revert could not be verified.)
 * The image is the targets file's, pinned by digest; the pod gets no service-account token and no
 * toleration (nodeName already places it; a blanket toleration would also keep it on a draining node).
 * It allocates up to its own memory limit, so the kernel's OOM killer kills its worker inside its
 * cgroup again and again for the whole fault (stress-ng respawns it; the cgroup's failcnt grows) and the
 * container ends as OOMKilled. It shares the host network when its target does (a node without pod
 * networks can start no other pod).
 */
export function stressPod(input: StressPodInput): V1Pod {
  const seconds = Math.max(1, Math.ceil(input.durationMs / 1000));
  const target = input.target.metadata?.name ?? "pod";
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      generateName: `gameday-stress-${input.fault}-`.slice(0, 58),
      labels: {
        ...ownerLabels(input.runId, input.fault, input.installation),
        "gameday.dev/stress-for": target.slice(0, 63),
      },
      annotations: {
        ...ownerAnnotations(input.runId, input.fault, input.installation),
        "gameday.dev/target-pod": target,
      },
    },
    spec: {
      nodeName: input.target.spec?.nodeName,
      ...(input.target.spec?.hostNetwork ? { hostNetwork: true } : {}),
      restartPolicy: "Never",
      activeDeadlineSeconds: seconds + DEADLINE_SLACK_S,
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      volumes: [{ name: "tmp", emptyDir: { sizeLimit: "1Mi" } }],
      containers: [
        {
          name: "stress",
          image: input.image,
          // A locally imported image must never be looked up in a registry.
          imagePullPolicy: input.image.endsWith(":local") ? "Never" : "IfNotPresent",
          command: ["stress-ng"],
          securityContext: RESTRICTED,
          // stress-ng aborts unless its temp path (the working directory) is writable; the root is not.
          workingDir: "/tmp",
          volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
          args: [
            "--vm",
            "1",
            "--vm-bytes",
            stressNgBytes(input.memory),
            "--vm-keep",
            "--timeout",
            `${seconds}s`,
          ],
          resources: {
            requests: { memory: input.memory, cpu: "50m" },
            limits: { memory: input.memory, cpu: "500m" },
          },
        },
      ],
    },
  };
}
