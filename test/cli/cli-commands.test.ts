import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { experiment, leftovers, workspace } from "../support/experiment-files.js";
import { ensureSandbox } from "../support/sandbox.js";

describe("gameday validate, schema and plan", () => {
  beforeAll(async () => {
    await ensureSandbox();
  });

  it("validate: exit 0 for the demo game day, exit 2 naming file:line:column and field otherwise", async () => {
    const ok = await runCli([
      "validate",
      "experiments/payments-latency.yaml",
      "experiments/payments-outage.yaml",
      "experiments/risk-resets.yaml",
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("3 valid, 0 invalid");
    const ws = workspace();
    const bad = ws.write(
      "bad.yaml",
      experiment({
        name: "bad",
        fault: "{ proxy: payments, toxic: latency, latency: 100ms, toxicity: 1.5 }",
      }),
    );
    const res = await runCli(["validate", bad, "--targets", ws.targets]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/bad\.yaml:\d+:\d+: spec\.faults\[0\]\.toxiproxy\.toxicity: .*0 to 1/);
  });

  it("schema: prints a JSON Schema for editors", async () => {
    const res = await runCli(["schema"]);
    expect(res.code).toBe(0);
    const schema = JSON.parse(res.stdout);
    expect(schema.$schema).toContain("2020-12");
    expect(JSON.stringify(schema)).toContain("toxicity");
  });

  it("plan: resolves the proxies and prints the schedule without touching anything", async () => {
    const res = await runCli(["plan", "experiments/payments-latency.yaml"]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("fault slow-payments at +1s for 10s: latency 800ms");
    expect(res.stdout).toContain("touches http://127.0.0.1:8474/proxies/payments");
    expect(await leftovers()).toEqual([]);
  });

  it("usage errors exit 2", async () => {
    const res = await runCli(["run"]);
    expect(res.code).toBe(2);
  });
});
