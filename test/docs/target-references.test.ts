import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatIssue } from "../../src/errors/gameday-error.js";
import { validateFiles } from "../../src/experiment/validate-files.js";

const dir = mkdtempSync(join(tmpdir(), "gameday-references-"));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const targets = write(
  "targets.yaml",
  `apiVersion: gameday/v1
kind: Targets
targets:
  staging:
    toxiproxy: { url: "http://127.0.0.1:1", proxies: [pricing, inventory] }
    scrape: { catalog: "http://127.0.0.1:1/metrics" }
    kubernetes: { contexts: [staging-eu], namespaces: [catalog] }
`,
);
const experiment = write(
  "refs.yaml",
  `apiVersion: gameday/v1
kind: Experiment
metadata: { name: refs }
spec:
  target: staging
  faults:
    - { name: slow, for: 20, toxiproxy: { proxy: pricng, toxic: latency, latency: 1s } }
    - { name: pods, for: 20s, kubernetes: { action: pod-delete, namespace: shop, selector: app=x } }
    - { name: box, for: 20s, docker: { select: { service: x }, action: pause } }
  expect:
    - { name: a, scrape: { target: catalgo, metric: m }, above: 0, during: slow }
    - { name: b, promql: up, equals: 1, during: sloww }
`,
);

describe("validate: what an experiment names in its target, beside the schema errors", () => {
  it("reports every reference error and the schema errors of the file in one pass", async () => {
    const [result] = await validateFiles([experiment], { targetsFile: targets, references: true, env: {} });
    expect(result?.ok).toBe(false);
    const lines = (result?.issues ?? []).map((i) => formatIssue(i).replace(`${dir}/`, ""));
    expect(lines).toEqual([
      'refs.yaml:7:26: spec.faults[0].for: expected a duration with a unit, found the bare number 20: write "20s" or "20ms"',
      'refs.yaml:7:50: spec.faults[0].toxiproxy.proxy: proxy "pricng" is not in the allow-list (pricing, inventory); did you mean "pricing"?',
      'refs.yaml:8:76: spec.faults[1].kubernetes.namespace: namespace "shop" is not in the allow-list (catalog)',
      'refs.yaml:9:38: spec.faults[2].docker: fault uses docker, but target "staging" has no docker entry',
      'refs.yaml:11:36: spec.expect[0].scrape.target: scrape target "catalgo" is not in target "staging"\'s scrape list (catalog); did you mean "catalog"?',
      'refs.yaml:12:26: spec.expect[1].promql: promql needs a prometheus url in target "staging"',
      'refs.yaml:12:49: spec.expect[1].during: expected the name of a fault (slow, pods, box), found "sloww"; did you mean "slow"?',
    ]);
  });

  it("without references (run, enqueue) the loader's own checks only", async () => {
    const [result] = await validateFiles([experiment], { targetsFile: targets, env: {} });
    expect(result?.issues.map((i) => i.path)).toEqual(["spec.faults[0].for", "spec.expect[1].during"]);
  });
});
