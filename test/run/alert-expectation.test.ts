import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Expectation } from "../../src/experiment/schema.js";
import { PrometheusClient } from "../../src/probes/prometheus-client.js";
import { AlertExpectation, prometheusAlertSource } from "../../src/run/expectations/alert-expectation.js";
import { annotateMonitoringGaps } from "../../src/run/expectations/monitoring-gap.js";
import type { Timeline } from "../../src/run/timeline.js";
import { type RunningPrometheus, startPrometheus } from "../support/prometheus-server.js";
import { scratchFiles } from "../support/scratch-files.js";

/** Flags the test raises and lowers; Prometheus scrapes them every second as test_flag{flag=...}. */
const flags = new Map<string, number>();
const RULES = `groups:
  - name: test
    interval: 1s
    rules:
      - alert: TestFlagUp
        expr: max by (flag) (test_flag) == 1
        labels: { severity: page, service: test }
      - alert: AlwaysFiring
        expr: vector(1)
      - alert: NeverFires
        expr: vector(0) > 1
`;

let server: Server;
let prom: RunningPrometheus;
let client: PrometheusClient;

beforeAll(async () => {
  server = createServer((_req, res) => {
    const lines = [...flags].map(([f, v]) => `test_flag{flag="${f.replace(/["\\]/g, "\\$&")}"} ${v}`);
    res.end(`# TYPE test_flag gauge\n${lines.join("\n")}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  prom = await startPrometheus(scratchFiles("gameday-alerts-").dir, { flags: `127.0.0.1:${port}` }, RULES);
  client = new PrometheusClient(prom.url);
  // AlwaysFiring must have been active for a while, so the "already firing" case is one.
  const deadline = Date.now() + 20_000;
  while (!(await client.alerts()).some((a) => a.labels.alertname === "AlwaysFiring")) {
    if (Date.now() > deadline)
      throw new Error(`AlwaysFiring never fired on ${prom.url}: rules not evaluated`);
    await new Promise((r) => setTimeout(r, 250));
  }
  await new Promise((r) => setTimeout(r, 2_500));
}, 60_000);

afterAll(async () => {
  await prom?.stop();
  await new Promise((r) => server?.close(r));
});

const spec = (alert: Partial<NonNullable<Expectation["alert"]>> & { name: string }): Expectation =>
  ({
    name: `expects ${alert.name}`,
    during: "f",
    alert: { labels: {}, firesWithin: 5_000, resolvesWithin: 6_000, source: "prometheus", ...alert },
  }) as Expectation;

/**
 * One expectation ticked every 250 ms against the real Prometheus, with a fault window the test
 * controls: the fault starts now and ends (is "reverted") after `faultMs`, when `onEnd` runs.
 */
async function drive(
  e: Expectation,
  faultMs: number,
  hooks: { onStart?: () => void; onEnd?: () => void; tickMs?: number } = {},
) {
  const evaluator = new AlertExpectation(e, prometheusAlertSource(client));
  const timeline: Timeline = { faults: { f: { start: Date.now() } } };
  hooks.onStart?.();
  const hardEnd = Date.now() + 25_000;
  while (!evaluator.done && Date.now() < hardEnd) {
    const fault = timeline.faults.f as { start: number; end?: number };
    if (fault.end === undefined && Date.now() >= fault.start + faultMs) {
      hooks.onEnd?.();
      fault.end = Date.now();
    }
    await evaluator.tick(Date.now(), "method", timeline);
    await new Promise((r) => setTimeout(r, hooks.tickMs ?? 250));
  }
  return evaluator.finish(timeline);
}

describe("the alert expectation against a real Prometheus", () => {
  it("passes when the alert fires during the fault and resolves after its revert, and says when", async () => {
    const r = await drive(spec({ name: "TestFlagUp", labels: { flag: "resolve", service: "test" } }), 4_000, {
      onStart: () => flags.set("resolve", 1),
      onEnd: () => flags.set("resolve", 0),
    });
    expect(r.status, r.summary).toBe("passed");
    expect(r.summary).toMatch(
      /^alert TestFlagUp\{flag="resolve",service="test"\} fired \d+\.\ds after f's start, resolved \d+\.\ds after its verified revert/,
    );
    expect(r.monitoringGap).toBeUndefined();
    expect(r.samples.some((s) => s.value === 1)).toBe(true);
  }, 40_000);

  it("counts a firing that began and ended between two sparse samples, from Prometheus' ALERTS history", async () => {
    const e = spec({
      name: "TestFlagUp",
      labels: { flag: "blip" },
      firesWithin: 6_000,
      resolvesWithin: 6_000,
    });
    const r = await drive(e, 6_500, {
      tickMs: 6_200, // a starved run loop: one sample at the start, the next after the deadline
      onStart: () => {
        flags.set("blip", 1);
        setTimeout(() => flags.set("blip", 0), 3_000);
      },
    });
    expect(r.samples.some((s) => s.value === 1)).toBe(false);
    expect(r.summary).toMatch(/fired 6\.0s after f's start/);
    expect(r.status, r.summary).toBe("passed");
  }, 40_000);

  it("fails when the alert is still firing resolvesWithin after the revert", async () => {
    const r = await drive(
      spec({ name: "TestFlagUp", labels: { flag: "stuck" }, resolvesWithin: 2_000 }),
      3_000,
      { onStart: () => flags.set("stuck", 1) },
    );
    expect(r.status).toBe("failed");
    expect(r.summary).toContain("fired but was still firing 2s after f was reverted");
  }, 40_000);

  it("fails as a monitoring gap when the alert never fires, with the run's bite evidence", async () => {
    const e = spec({ name: "NeverFires", firesWithin: 3_000 });
    const r = await drive(e, 2_000);
    expect(r.status).toBe("failed");
    expect(r.summary).toContain("alert NeverFires never fired within 3s of f's start: a monitoring gap");
    expect(r.monitoringGap).toEqual({ fault: "f" });
    const bite = {
      name: "the fallback served",
      semantics: "",
      status: "passed" as const,
      summary: "",
      samples: [],
    };
    const biteSpec = { name: bite.name, during: "f", promql: "x" } as Expectation;
    const [withBite] = annotateMonitoringGaps([r, bite], [e, biteSpec]);
    expect(withBite?.summary).toMatch(/a monitoring gap .*\(the fault bit: "the fallback served" passed\)$/);
    const [alone] = annotateMonitoringGaps([r], [e]);
    expect(alone?.summary).toMatch(/no other expectation of f passed, so the fault may not have bitten\)$/);
  }, 40_000);

  it("does not count an alert that was already firing before the fault started", async () => {
    const r = await drive(spec({ name: "AlwaysFiring", firesWithin: 3_000 }), 2_000);
    expect(r.status).toBe("failed");
    expect(r.summary).toContain("already firing before the fault started");
  }, 40_000);

  it("matches labels exactly, and shows label values escaped as PromQL", async () => {
    flags.set('x"y', 1);
    const r = await drive(spec({ name: "TestFlagUp", labels: { flag: 'x"z' }, firesWithin: 3_000 }), 2_000);
    expect(r.status).toBe("failed");
    expect(r.summary).toContain('alert TestFlagUp{flag="x\\"z"} never fired');
    // The alert was there, with the quoted value: only the labels kept it out.
    expect((await client.alerts()).some((a) => a.labels.flag === 'x"y' && a.state === "firing")).toBe(true);
  }, 40_000);
});
