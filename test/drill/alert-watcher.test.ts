import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlertWatcher } from "../../src/drill/alert-watcher.js";
import { PrometheusClient } from "../../src/probes/prometheus-client.js";

/** A stand-in for Prometheus' /api/v1/alerts: whatever rules the target has, firing or pending. */
describe("AlertWatcher reads /api/v1/alerts", () => {
  let alerts: unknown[] = [];
  const server = createServer((req, res) => {
    if (req.url !== "/api/v1/alerts") {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ status: "success", data: { alerts } }));
  });
  let url = "";
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("reports alerts that start and stop firing; pending ones are not firing", async () => {
    const w = new AlertWatcher(new PrometheusClient(url));
    alerts = [{ labels: { alertname: "RiskLatencyHigh", service: "risk" }, state: "pending" }];
    expect(await w.poll()).toEqual({ started: [], resolved: [] });
    alerts = [{ labels: { alertname: "RiskLatencyHigh", service: "risk" }, state: "firing", activeAt: "x" }];
    const first = await w.poll();
    expect(first.started.map((a) => a.alert)).toEqual(["RiskLatencyHigh"]);
    expect((await w.poll()).started).toEqual([]);
    expect(w.current.map((a) => a.labels.service)).toEqual(["risk"]);
    alerts = [];
    expect((await w.poll()).resolved.map((a) => a.alert)).toEqual(["RiskLatencyHigh"]);
  });

  it("an unreachable Prometheus keeps what was firing; none configured reports nothing", async () => {
    expect(await new AlertWatcher(undefined).poll()).toEqual({ started: [], resolved: [] });
    expect(await new AlertWatcher(new PrometheusClient("http://127.0.0.1:1")).poll()).toEqual({
      started: [],
      resolved: [],
    });
  });
});
