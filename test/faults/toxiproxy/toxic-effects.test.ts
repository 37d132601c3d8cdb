import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ActiveFault } from "../../../src/interfaces/injector.js";
import { tcpExchange } from "../../support/tcp-exchange.js";
import { startToxiproxyFixture, type ToxiproxyFixture, toxiproxyFault } from "./toxiproxy-fixture.js";

const ctx = { runId: "effects1", experiment: "toxic-effects" };
let fx: ToxiproxyFixture;

beforeAll(async () => {
  fx = await startToxiproxyFixture();
});
afterEach(() => fx.reset());
afterAll(() => fx.stop());

async function inject(name: string, toxic: Record<string, unknown>): Promise<ActiveFault> {
  return fx.injector.inject(toxiproxyFault(name, { proxy: "payments", ...toxic }), ctx);
}

/** Reverts, verifies, checks Toxiproxy holds no toxic and traffic is normal again. */
async function revertAndCheckNormal(active: ActiveFault): Promise<void> {
  await active.revert();
  await active.verifyReverted();
  expect((await fx.proxy("payments")).toxics).toEqual([]);
  const after = await tcpExchange(fx.port("payments"), "/bytes/1000");
  expect(after).toMatchObject({ ended: "closed", bodyBytes: 1000 });
  expect(after.elapsedMs).toBeLessThan(200);
}

async function toxicOnServer(name: string) {
  return (await fx.proxy("payments")).toxics.find((t) => t.name === `gameday.${ctx.runId}.${name}`);
}

describe("every toxic type against a real Toxiproxy", () => {
  it("passes traffic untouched before any fault", async () => {
    const base = await tcpExchange(fx.port("payments"), "/bytes/1000");
    expect(base).toMatchObject({ ended: "closed", bodyBytes: 1000 });
    expect(base.elapsedMs).toBeLessThan(200);
  });

  it("latency adds measurable delay", async () => {
    const active = await inject("slow", { toxic: "latency", latency: "300ms", jitter: "10ms" });
    expect(active.ownerTag).toBe("gameday.effects1.slow");
    expect(active.description).toMatch(/^latency 300ms ±10ms downstream toxicity 1 on proxy payments \(127/);
    expect(await toxicOnServer("slow")).toMatchObject({
      type: "latency",
      attributes: { latency: 300, jitter: 10 },
    });
    const slowed = await tcpExchange(fx.port("payments"), "/bytes/1000");
    expect(slowed.bodyBytes).toBe(1000);
    expect(slowed.firstByteMs).toBeGreaterThanOrEqual(280);
    await revertAndCheckNormal(active);
  });

  it("bandwidth slows a sized body", async () => {
    const active = await inject("narrow", { toxic: "bandwidth", rate: 100 });
    const slowed = await tcpExchange(fx.port("payments"), "/bytes/60000", 5000);
    expect(slowed).toMatchObject({ ended: "closed", bodyBytes: 60000 });
    expect(slowed.elapsedMs).toBeGreaterThanOrEqual(400); // 60 KB at 100 KB/s is about 600 ms
    await revertAndCheckNormal(active);
  });

  it("slow_close delays the close but not the data", async () => {
    const active = await inject("lingering", { toxic: "slow_close", delay: "400ms" });
    expect(await toxicOnServer("lingering")).toMatchObject({
      type: "slow_close",
      attributes: { delay: 400 },
    });
    const ex = await tcpExchange(fx.port("payments"), "/bytes/10");
    expect(ex).toMatchObject({ ended: "closed", bodyBytes: 10 });
    expect(ex.firstByteMs).toBeLessThan(200);
    expect(ex.elapsedMs).toBeGreaterThanOrEqual(380);
    await revertAndCheckNormal(active);
  });

  it("timeout 0 swallows the request: no answer until reverted", async () => {
    const active = await inject("blackhole", { toxic: "timeout", stream: "upstream" });
    const ex = await tcpExchange(fx.port("payments"), "/bytes/10", 600);
    expect(ex).toMatchObject({ ended: "deadline" });
    expect(ex.data.length).toBe(0);
    await revertAndCheckNormal(active);
  });

  it("timeout 0 downstream drops the answer of a keep-alive connection", async () => {
    const active = await inject("mute-answer", { toxic: "timeout" });
    const ex = await tcpExchange(fx.port("payments"), "/bytes/10", 600, "keep-alive");
    expect(ex).toMatchObject({ ended: "deadline" });
    expect(ex.data.length).toBe(0);
    await revertAndCheckNormal(active);
  });

  it("timeout with a duration closes the connection without data", async () => {
    const active = await inject("cutoff", { toxic: "timeout", timeout: "300ms" });
    const ex = await tcpExchange(fx.port("payments"), "/bytes/10", 3000, "keep-alive");
    expect(ex.ended).not.toBe("deadline");
    expect(ex.data.length).toBe(0);
    expect(ex.elapsedMs).toBeGreaterThanOrEqual(280);
    await revertAndCheckNormal(active);
  });

  it("reset_peer resets the connection", async () => {
    const active = await inject("rst", { toxic: "reset_peer" });
    const ex = await tcpExchange(fx.port("payments"), "/bytes/10");
    expect(ex).toMatchObject({ ended: "error", errorCode: "ECONNRESET" });
    expect(ex.data.length).toBe(0);
    await revertAndCheckNormal(active);
  });

  it("slicer sends the body in slices, delay in microseconds", async () => {
    const active = await inject("chop", { toxic: "slicer", averageSize: 10, sizeVariation: 2, delay: "1ms" });
    expect(await toxicOnServer("chop")).toMatchObject({
      type: "slicer",
      stream: "downstream",
      attributes: { average_size: 10, size_variation: 2, delay: 1000 },
    });
    const ex = await tcpExchange(fx.port("payments"), "/bytes/500");
    expect(ex).toMatchObject({ ended: "closed", bodyBytes: 500 });
    await revertAndCheckNormal(active);
  });

  it("limit_data closes the connection after N bytes", async () => {
    const active = await inject("capped", { toxic: "limit_data", bytes: 100 });
    const ex = await tcpExchange(fx.port("payments"), "/bytes/5000");
    expect(ex.ended).toBe("closed");
    expect(ex.data.length).toBe(100);
    await revertAndCheckNormal(active);
  });

  it("upstream stream applies to requests: limit_data 0 upstream cuts the request", async () => {
    const active = await inject("mute", { toxic: "limit_data", bytes: 0, stream: "upstream" });
    expect(await toxicOnServer("mute")).toMatchObject({ stream: "upstream", attributes: { bytes: 0 } });
    const ex = await tcpExchange(fx.port("payments"), "/bytes/10");
    expect(ex.bodyBytes).toBe(0);
    await revertAndCheckNormal(active);
  });

  it("toxicity 0 affects no connection, toxicity 1 every one", async () => {
    const never = await inject("never", { toxic: "latency", latency: "400ms", toxicity: 0 });
    const untouched = await tcpExchange(fx.port("payments"), "/bytes/10");
    expect(untouched.elapsedMs).toBeLessThan(200);
    await revertAndCheckNormal(never);
    const always = await inject("always", { toxic: "latency", latency: "400ms", toxicity: 1 });
    for (let i = 0; i < 3; i++)
      expect((await tcpExchange(fx.port("payments"), "/")).firstByteMs).toBeGreaterThan(380);
    await revertAndCheckNormal(always);
  });
});
