import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LoadGenerator } from "../../src/load/load-generator.js";

/** shed-load halves the drill's own load rate: the open-loop schedule continues at the new rate, no burst. */
describe("shed-load: LoadGenerator.scaleRate", () => {
  const arrivals: number[] = [];
  const server = createServer((_req, res) => {
    arrivals.push(Date.now());
    res.end("ok");
  });
  let url = "";
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("sends at the halved rate after the change, without catching up", async () => {
    const load = new LoadGenerator(
      { url, method: "GET", rate: 40, timeout: 1000, maxInFlight: 64, headers: {} },
      10_000,
    );
    load.start();
    await new Promise((r) => setTimeout(r, 2000));
    const changedAt = Date.now();
    expect(load.scaleRate(0.5)).toBe(20);
    await new Promise((r) => setTimeout(r, 2000));
    await load.stop();
    const before = arrivals.filter((t) => t < changedAt).length;
    const after = arrivals.filter((t) => t >= changedAt).length;
    expect(before).toBeGreaterThanOrEqual(70);
    expect(before).toBeLessThanOrEqual(85);
    expect(after).toBeGreaterThanOrEqual(32);
    expect(after).toBeLessThanOrEqual(46);
  });
});
