import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RollbackError } from "../../../src/errors/gameday-error.js";
import type { ActiveToxic } from "../../../src/faults/toxiproxy/active-toxic.js";
import { ToxiproxyInjector } from "../../../src/faults/toxiproxy/toxiproxy-injector.js";
import { startToxiproxy } from "../../support/toxiproxy-server.js";
import { startToxiproxyFixture, type ToxiproxyFixture, toxiproxyFault } from "./toxiproxy-fixture.js";

const ctx = { runId: "safe1", experiment: "revert-safety" };
const fault = toxiproxyFault("slow", { proxy: "payments", toxic: "latency", latency: "200ms" });
let fx: ToxiproxyFixture;

beforeAll(async () => {
  fx = await startToxiproxyFixture();
});
afterEach(() => fx.reset());
afterAll(() => fx.stop());

describe("revert and verify are safe to repeat and say what remains", () => {
  it("a double revert is safe", async () => {
    const active = await fx.injector.inject(fault, ctx);
    await active.revert();
    await active.revert();
    await active.verifyReverted();
    await active.verifyReverted();
    expect((await fx.proxy("payments")).toxics).toEqual([]);
  });

  it("a toxic already removed by someone else counts as reverted", async () => {
    const active = (await fx.injector.inject(fault, ctx)) as ActiveToxic;
    await fx.removeToxic("payments", active.ownerTag);
    await active.revert();
    expect(active.revertOutcome).toBe("toxic-gone");
    await active.verifyReverted();
  });

  it("verifyReverted names the toxic that remains", async () => {
    const active = await fx.injector.inject(fault, ctx);
    await expect(active.verifyReverted()).rejects.toThrow(RollbackError);
    await expect(active.verifyReverted()).rejects.toThrow(
      /toxic "gameday\.safe1\.slow" \(latency latency=200 jitter=0 downstream toxicity 1\) is still on proxy payments/,
    );
    await active.revert();
  });

  it("revert after the proxy was deleted resolves; verify says the proxy is gone", async () => {
    const active = (await fx.injector.inject(fault, ctx)) as ActiveToxic;
    await fx.deleteProxy("payments");
    try {
      await active.revert();
      expect(active.revertOutcome).toBe("proxy-gone");
      await active.revert();
      const err = await active.verifyReverted().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RollbackError);
      expect((err as Error).message).toMatch(
        /proxy payments no longer exists on Toxiproxy at .*: toxic "gameday\.safe1\.slow" went with it, so nothing of this fault remains/,
      );
    } finally {
      await fx.createProxy("payments");
    }
  });

  it("a revert the server cannot answer is a RollbackError that says the toxic may remain", async () => {
    const server = await startToxiproxy();
    const injector = new ToxiproxyInjector({ url: server.url, proxies: ["p"] }, { timeoutMs: 1000 });
    await fetch(`${server.url}/proxies`, {
      method: "POST",
      body: JSON.stringify({ name: "p", listen: "127.0.0.1:0", upstream: "127.0.0.1:9" }),
    });
    const active = await injector.inject(
      toxiproxyFault("slow", { proxy: "p", toxic: "latency", latency: "1s" }),
      ctx,
    );
    await server.stop();
    await expect(active.revert()).rejects.toThrow(RollbackError);
    await expect(active.revert()).rejects.toThrow(
      /could not remove toxic "gameday\.safe1\.slow" .*ECONNREFUSED.*may remain/,
    );
    await expect(active.verifyReverted()).rejects.toThrow(/did not answer .*may remain on proxy p/);
  });
});
