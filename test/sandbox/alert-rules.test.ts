import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ALERT_RULES, renderAlertRules } from "../../src/sandbox/alert-rules.js";
import { renderPrometheusConfig } from "../../src/sandbox/prometheus-config.js";
import { defaultPorts } from "../../src/sandbox/sandbox-layout.js";
import { REPO } from "../support/cli.js";
import { scratchFiles } from "../support/scratch-files.js";

/** Debian's prometheus package ships promtool beside the server; the tests need it. */
function promtool(...args: string[]) {
  const res = spawnSync("promtool", args, { encoding: "utf8" });
  if (res.error) throw new Error(`promtool is missing (Debian package prometheus): ${res.error.message}`);
  return res;
}

describe("the sandbox's alert rules", () => {
  it("are valid rules for Prometheus (promtool check rules), and a broken rule is caught", () => {
    const files = scratchFiles("gameday-rules-");
    const good = promtool("check", "rules", files.write("rules.yml", renderAlertRules()));
    expect(good.status, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toContain(`SUCCESS: ${ALERT_RULES.length} rules found`);
    const broken = [{ ...(ALERT_RULES[0] as (typeof ALERT_RULES)[number]), expr: "sum(rate(x[5s]) > " }];
    const bad = promtool("check", "rules", files.write("broken.yml", renderAlertRules(broken)));
    expect(bad.status).not.toBe(0);
  });

  it("cover latency, error ratio, every hop's dependency errors and saturation, and the breaker", () => {
    const names = ALERT_RULES.map((r) => r.alert);
    for (const n of ["GatewayHighLatency", "GatewayHighErrorRatio", "OrdersBreakerOpen", "PaymentsSaturated"])
      expect(names).toContain(n);
    for (const s of ["Gateway", "Orders", "Payments"]) {
      expect(names).toContain(`${s}DependencyErrorRatioHigh`);
      expect(names).toContain(`${s}Saturated`);
    }
    for (const r of ALERT_RULES) expect(Object.keys(r.labels).sort()).toEqual(["service", "severity"]);
  });

  it("are the same text in the Kubernetes manifests, which load them", () => {
    for (const dir of ["manifests/sandbox", "manifests/sandbox-node"]) {
      expect(readFileSync(`${REPO}${dir}/alert-rules.yml`, "utf8"), `${dir}/alert-rules.yml`).toBe(
        renderAlertRules(),
      );
      expect(readFileSync(`${REPO}${dir}/prometheus.yml`, "utf8")).toContain("rule_files: [alert-rules.yml]");
      expect(readFileSync(`${REPO}${dir}/kustomization.yaml`, "utf8")).toContain(
        "files: [prometheus.yml, alert-rules.yml]",
      );
    }
  });

  it("are loaded by the rendered Prometheus config unless alerting is switched off", () => {
    const files = scratchFiles("gameday-prom-config-");
    files.write("alert-rules.yml", renderAlertRules());
    const on = renderPrometheusConfig(defaultPorts(), true);
    const off = renderPrometheusConfig(defaultPorts(), false);
    expect(on).toContain("rule_files:\n  - alert-rules.yml");
    expect(off).not.toContain("rule_files");
    const check = promtool("check", "config", files.write("prometheus.yml", on));
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain(`SUCCESS: ${ALERT_RULES.length} rules found`);
  });
});
