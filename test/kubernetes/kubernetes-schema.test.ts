import { describe, expect, it } from "vitest";
import { loadExperimentText } from "../../src/experiment/experiment-loader.js";
import { HEAD, issuesOf, lines } from "../experiment/issues-of.js";

const FILE = "k8s.yaml";
const load = (text: string) => issuesOf(() => loadExperimentText(text, FILE, { env: {} }));

// No cluster needed: the schema alone, with located errors.
describe("the kubernetes fault family in experiment files", () => {
  it("mode fixed without count is located at the fault", async () => {
    const text = lines(
      ...HEAD,
      "  faults:",
      "    - name: a",
      "      for: 10s",
      "      kubernetes: { action: pod-delete, namespace: shop, selector: app=x, mode: fixed }",
    );
    const issues = await load(text);
    expect(issues).toEqual([
      expect.objectContaining({
        file: FILE,
        line: 9,
        path: "spec.faults[0].kubernetes.count",
        message: 'missing required field "count": mode fixed needs the number of pods',
      }),
    ]);
  });

  it("a malformed workload and an unknown action say what was expected", async () => {
    const text = lines(
      ...HEAD,
      "  faults:",
      "    - { name: a, for: 1s, kubernetes: { action: scale-to-zero, namespace: shop, workload: payments } }",
      "    - { name: b, for: 1s, kubernetes: { action: drain-node, namespace: shop } }",
    );
    const messages = (await load(text)).map((i) => `${i.line} ${i.path}: ${i.message}`);
    expect(messages[0]).toContain('7 spec.faults[0].kubernetes.workload: expected "deployment/<name>"');
    expect(messages[1]).toMatch(/^8 spec\.faults\[1\]\.kubernetes\.action: .*pod-delete/);
  });

  it("a valid memory-pressure fault gets its defaults", async () => {
    const text = lines(
      ...HEAD,
      "  faults:",
      "    - { name: a, for: 1m, kubernetes: { action: memory-pressure, namespace: shop, selector: app=x, memory: 256Mi } }",
    );
    const exp = loadExperimentText(text, FILE, { env: {} });
    expect(exp.experiment.spec.faults[0]?.kubernetes).toMatchObject({
      mode: "one",
      max: 10,
      memory: "256Mi",
    });
  });
});
