import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PreflightError, RollbackError } from "../../../src/errors/gameday-error.js";
import { tcpExchange } from "../../support/tcp-exchange.js";
import { startToxiproxyFixture, type ToxiproxyFixture, toxiproxyFault } from "./toxiproxy-fixture.js";

const ctx = { runId: "outage1", experiment: "outage" };
const outage = (name: string, proxy = "inventory") => toxiproxyFault(name, { proxy, toxic: "outage" });
let fx: ToxiproxyFixture;

beforeAll(async () => {
  fx = await startToxiproxyFixture();
});
afterEach(() => fx.reset());
afterAll(() => fx.stop());

describe("outage: the proxy is disabled, ownership kept by a marker toxic", () => {
  it("refuses connections while active and restores them on revert", async () => {
    expect((await tcpExchange(fx.port("inventory"), "/")).ended).toBe("closed");
    const active = await fx.injector.inject(outage("down"), ctx);
    expect(active.description).toMatch(/^outage: proxy inventory \(127\.0\.0\.1:\d+ -> .*\) disabled/);
    expect(await tcpExchange(fx.port("inventory"), "/")).toMatchObject({
      ended: "error",
      errorCode: "ECONNREFUSED",
    });
    const state = await fx.proxy("inventory");
    expect(state.enabled).toBe(false);
    expect(state.toxics).toEqual([expect.objectContaining({ name: "gameday.outage1.down", toxicity: 0 })]);

    await active.revert();
    await active.verifyReverted();
    expect(await fx.proxy("inventory")).toMatchObject({ enabled: true, toxics: [] });
    expect(await tcpExchange(fx.port("inventory"), "/bytes/100")).toMatchObject({
      ended: "closed",
      bodyBytes: 100,
    });
  });

  it("verifyReverted names both remains before a revert", async () => {
    const active = await fx.injector.inject(outage("still-down"), ctx);
    const err = await active.verifyReverted().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RollbackError);
    expect((err as Error).message).toMatch(/proxy inventory is still disabled/);
    expect((err as Error).message).toMatch(
      /marker toxic "gameday\.outage1\.still-down" is still on proxy inventory/,
    );
    await active.revert();
    await active.verifyReverted();
  });

  it("refuses a proxy that is already disabled, since reverting would enable it", async () => {
    await fetch(`${fx.url}/proxies/inventory`, { method: "POST", body: JSON.stringify({ enabled: false }) });
    await expect(fx.injector.inject(outage("twice"), ctx)).rejects.toThrow(PreflightError);
    await expect(fx.injector.inject(outage("twice"), ctx)).rejects.toThrow(/already disabled/);
    expect(await fx.proxy("inventory")).toMatchObject({ enabled: false, toxics: [] });
  });

  it("a double revert is safe and leaves the proxy enabled", async () => {
    const active = await fx.injector.inject(outage("flap"), ctx);
    await active.revert();
    await active.revert();
    await active.verifyReverted();
    expect(await fx.proxy("inventory")).toMatchObject({ enabled: true, toxics: [] });
  });

  it("revert after the proxy was deleted resolves; verify reports it clearly", async () => {
    const active = await fx.injector.inject(outage("gone"), ctx);
    await fx.deleteProxy("inventory");
    try {
      await active.revert();
      await expect(active.verifyReverted()).rejects.toThrow(
        /proxy inventory no longer exists on Toxiproxy at http:\/\/127\.0\.0\.1:\d+: toxic "gameday\.outage1\.gone" went with it/,
      );
    } finally {
      await fx.createProxy("inventory");
    }
  });
});
