import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Break } from "../../../sandbox-services/lib/breaks.js";
import { alertRulesEnabled } from "../../../sandbox-services/lib/countermeasures.js";
import { ALERT_RULES_FILE, renderAlertRules } from "../alert-rules.js";
import { renderPrometheusConfig } from "../prometheus-config.js";
import { KUBE_NAMESPACE, kubePorts } from "./kube-sandbox-config.js";

/**
 * The kustomization `sandbox up --runtime kubernetes` applies: manifests/sandbox-node as it is, with
 * the run's switches (SANDBOX_BREAK) and a Prometheus config that also scrapes the node's kubelet.
 * Written into the state dir so `kubectl apply -k` (and a human) can read exactly what was applied.
 */
export function writeKubeOverlay(
  stateDir: string,
  packageRoot: string,
  breaks: readonly Break[],
  kubeletReadOnlyPort: number | undefined,
): string {
  mkdirSync(stateDir, { recursive: true });
  const base = relative(stateDir, join(packageRoot, "manifests", "sandbox-node"));
  const kubelet =
    kubeletReadOnlyPort === undefined
      ? ""
      : `  - job_name: kubelet\n    metrics_path: /metrics/cadvisor\n    static_configs:\n      - targets: ["127.0.0.1:${kubeletReadOnlyPort}"]\n`;
  const alerting = alertRulesEnabled(breaks, process.env);
  writeFileSync(
    join(stateDir, "prometheus.yml"),
    `${renderPrometheusConfig(kubePorts(), alerting)}${kubelet}`,
  );
  writeFileSync(join(stateDir, ALERT_RULES_FILE), renderAlertRules());
  writeFileSync(
    join(stateDir, "kustomization.yaml"),
    [
      "# Written by `gameday sandbox up --runtime kubernetes` on every up.",
      "apiVersion: kustomize.config.k8s.io/v1beta1",
      "kind: Kustomization",
      `namespace: ${KUBE_NAMESPACE}`,
      `resources: [${JSON.stringify(base)}]`,
      "configMapGenerator:",
      "  - name: sandbox-settings",
      "    behavior: replace",
      `    literals: [${JSON.stringify(`SANDBOX_BREAK=${breaks.join(",")}`)}]`,
      "  - name: prometheus-config",
      "    behavior: replace",
      `    files: [prometheus.yml, ${ALERT_RULES_FILE}]`,
      "",
    ].join("\n"),
  );
  return stateDir;
}
