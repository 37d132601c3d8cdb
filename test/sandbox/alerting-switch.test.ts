import { afterAll, describe, expect, it } from "vitest";
import { ALERT_GROUP, ALERT_RULES } from "../../src/sandbox/alert-rules.js";
import { runCli } from "../support/cli.js";
import { leftovers } from "../support/experiment-files.js";
import { ensureSandbox } from "../support/sandbox.js";

const EXPERIMENT = "experiments/payments-outage.yaml";
const ALERT = '"the outage pages, OrdersBreakerOpen fires and resolves"';
const run = () =>
  runCli(["run", EXPERIMENT, "--targets", "targets.yaml", "--state-dir", ".gameday"], { timeoutMs: 120_000 });

async function ruleGroups(prometheusUrl: string) {
  const body = (await (await fetch(`${prometheusUrl}/api/v1/rules`)).json()) as {
    data: { groups: { name: string; rules: { name: string; health: string }[] }[] };
  };
  return body.data.groups;
}

/**
 * Detection as a countermeasure: the demo's payments outage must page (OrdersBreakerOpen fires and
 * resolves), and with the alert rules removed (`--break alerting`) the same run fails, naming the
 * alert expectation and calling it a monitoring gap, with the evidence that the fault bit.
 */
describe("the alerting countermeasure and its switch", () => {
  afterAll(async () => {
    await ensureSandbox([]);
  });

  it("healthy: Prometheus evaluates every rule, and the outage's alert fires and resolves", async () => {
    const endpoints = await ensureSandbox([]);
    const group = (await ruleGroups(endpoints.prometheusUrl)).find((g) => g.name === ALERT_GROUP);
    expect(group?.rules.map((r) => r.name)).toEqual(ALERT_RULES.map((r) => r.alert));
    for (const r of group?.rules ?? []) expect(r.health, r.name).toBe("ok");
    const res = await run();
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(
      /alert OrdersBreakerOpen\{service="orders"\} fired \d+\.\ds after payments-down's start, resolved \d+\.\ds after its verified revert/,
    );
    expect(await leftovers()).toEqual([]);
  }, 180_000);

  it("--break alerting: no rule group, and the run fails naming the alert as a monitoring gap", async () => {
    const endpoints = await ensureSandbox(["alerting"]);
    expect((await ruleGroups(endpoints.prometheusUrl)).map((g) => g.name)).not.toContain(ALERT_GROUP);
    const res = await run();
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toContain(`expectation ${ALERT} failed`);
    expect(res.stderr).toContain("never fired within 10s of payments-down's start: a monitoring gap");
    expect(res.stderr).toContain('(the fault bit: "orders serves the fallback (the fault bit)" passed');
    expect(await leftovers()).toEqual([]);
  }, 180_000);
});
