import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BREAKS, parseBreaks } from "../../sandbox-services/lib/breaks.js";
import {
  alertRulesEnabled,
  BREAK_ALIASES,
  COUNTERMEASURES,
  countermeasureSchema,
  countermeasureTableMarkdown,
  HOPS,
  listCountermeasures,
  MONITORING_COUNTERMEASURES,
} from "../../sandbox-services/lib/countermeasures.js";
import { loadServiceConfig } from "../../sandbox-services/lib/service-config.js";
import { SERVICE_NAMES } from "../../sandbox-services/lib/topology.js";
import { validBreaks } from "../../src/sandbox/valid-breaks.js";

const README = new URL("../../sandbox-services/README.md", import.meta.url);
const KINDS_AT_EVERY_HOP = ["timeout", "bulkhead"];
const KINDS_SOMEWHERE = [
  "retries",
  "backoff",
  "jitter",
  "retry-budget",
  "breaker-open",
  "breaker-close",
  "fallback",
];

const configs = (env: Record<string, string>) =>
  Object.fromEntries(SERVICE_NAMES.map((s) => [s, loadServiceConfig(s, env).dependency]));

describe("the countermeasure inventory", () => {
  it("is well formed, with unique switch names", () => {
    for (const c of COUNTERMEASURES) countermeasureSchema.parse(c);
    const names = COUNTERMEASURES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const alias of Object.keys(BREAK_ALIASES)) expect(names).not.toContain(alias);
  });

  it("has a timeout and a bulkhead at every hop and every other kind somewhere", () => {
    for (const hop of HOPS)
      for (const kind of KINDS_AT_EVERY_HOP)
        expect(
          COUNTERMEASURES.some((c) => c.hop === hop && c.kind === kind),
          `${kind} at ${hop}`,
        ).toBe(true);
    for (const kind of KINDS_SOMEWHERE)
      expect(
        COUNTERMEASURES.some((c) => c.kind === kind),
        kind,
      ).toBe(true);
  });

  it("names a countermeasure that exists at several hops by its hop", () => {
    for (const c of COUNTERMEASURES) {
      const several = COUNTERMEASURES.filter((o) => o.kind === c.kind).length > 1;
      if (several) expect(c.name.startsWith(`${c.service}-`), c.name).toBe(true);
    }
  });

  it("gives every row a switch whose effect is exactly its documented variables, and a real one", () => {
    const healthy = configs({});
    for (const c of COUNTERMEASURES) {
      const bySwitch = configs({ SANDBOX_BREAK: c.name });
      const byVariables = configs({ ...c.env });
      for (const s of SERVICE_NAMES) expect(bySwitch[s], `${c.name} at ${s}`).toEqual(byVariables[s]);
      // The row changes its own service's policy, and nothing anywhere else.
      expect(bySwitch[c.service], c.name).not.toEqual(healthy[c.service]);
      for (const s of SERVICE_NAMES.filter((s) => s !== c.service))
        expect(bySwitch[s], `${c.name} leaks into ${s}`).toEqual(healthy[s]);
      for (const key of Object.keys(c.env))
        expect(key.startsWith(`SANDBOX_${c.service.toUpperCase()}_`), key).toBe(true);
    }
  });

  it("has monitoring rows that change the launcher's Prometheus and no service", () => {
    const healthy = configs({});
    for (const m of MONITORING_COUNTERMEASURES) {
      const bySwitch = configs({ SANDBOX_BREAK: m.name });
      for (const s of SERVICE_NAMES) expect(bySwitch[s], `${m.name} leaks into ${s}`).toEqual(healthy[s]);
      expect(alertRulesEnabled([m.name], {})).toBe(false);
      expect(alertRulesEnabled([], { ...m.env })).toBe(false);
    }
    expect(alertRulesEnabled([], {})).toBe(true);
    expect(alertRulesEnabled(["breaker"], { SANDBOX_PROMETHEUS_ALERT_RULES: "on" })).toBe(true);
  });

  it("lets a switch win over the variables it overrides", () => {
    const orders = loadServiceConfig("orders", { SANDBOX_BREAK: "breaker", SANDBOX_ORDERS_BREAKER: "on" });
    expect(orders.dependency?.breaker.enabled).toBe(false);
  });

  it("keeps the old names as aliases: `timeout` is every timeout, `bulkhead` every bulkhead", () => {
    const all = configs({ SANDBOX_BREAK: "timeout,bulkhead" });
    for (const s of ["gateway", "orders", "payments"] as const) {
      expect(all[s]?.timeoutMs).toBe(0);
      expect(all[s]?.bulkhead.maxConcurrent).toBe(0);
    }
    for (const old of ["breaker", "jitter", "timeout", "retries", "fallback"]) expect(BREAKS).toContain(old);
  });

  it("derives the valid --break names from the table, and refuses others", () => {
    expect(BREAKS).toEqual([
      ...COUNTERMEASURES.map((c) => c.name),
      ...MONITORING_COUNTERMEASURES.map((c) => c.name),
      ...Object.keys(BREAK_ALIASES),
    ]);
    expect(validBreaks(["retry-budget", "breaker", "retry-budget"])).toEqual(["breaker", "retry-budget"]);
    expect(parseBreaks("orders-bulkhead,timeout")).toEqual(["orders-bulkhead", "timeout"]);
    expect(() => validBreaks(["breakr"])).toThrow(/unknown switch breakr/);
  });

  it("lists every row for mutants: name, description and the variables that remove it", () => {
    const rows = listCountermeasures();
    expect(rows.map((r) => r.name)).toEqual(COUNTERMEASURES.map((c) => c.name));
    const budget = rows.find((r) => r.name === "retry-budget");
    expect(budget).toMatchObject({
      hop: "payments -> risk",
      service: "payments",
      env: { SANDBOX_PAYMENTS_RETRY_BUDGET: "off" },
    });
    expect(budget?.description).toMatch(/retry-budget: .*Removed: /);
  });

  it("is the table in sandbox-services/README.md, verbatim (regenerate it from countermeasureTableMarkdown)", () => {
    const table = countermeasureTableMarkdown();
    const readme = readFileSync(README, "utf8");
    expect(readme.includes(`${table}\n`), `README.md must contain:\n${table}`).toBe(true);
  });
});
