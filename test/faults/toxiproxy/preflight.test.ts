import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ExitCode, PreflightError } from "../../../src/errors/gameday-error.js";
import { ToxiproxyInjector } from "../../../src/faults/toxiproxy/toxiproxy-injector.js";
import { freePort } from "../../support/toxiproxy-server.js";
import { startToxiproxyFixture, type ToxiproxyFixture, toxiproxyFault } from "./toxiproxy-fixture.js";

const ctx = { runId: "pre1", experiment: "preflight" };
const latency = (proxy: string) =>
  toxiproxyFault("slow-payments", { proxy, toxic: "latency", latency: "800ms", jitter: "100ms" });
let fx: ToxiproxyFixture;

beforeAll(async () => {
  fx = await startToxiproxyFixture();
});
afterEach(() => fx.reset());
afterAll(() => fx.stop());

async function rejection(p: Promise<unknown>): Promise<PreflightError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PreflightError);
  expect((err as PreflightError).exitCode).toBe(ExitCode.notRun);
  return err as PreflightError;
}

describe("plan and preflight", () => {
  it("plans a toxic with its effect, stream, toxicity and proxy addresses", async () => {
    const planned = await fx.injector.plan(latency("payments"));
    const proxy = await fx.proxy("payments");
    expect(planned).toEqual({
      fault: "slow-payments",
      family: "toxiproxy",
      action: `latency 800ms ±100ms downstream toxicity 1 on proxy payments (${proxy.listen} -> ${proxy.upstream})`,
      targets: [`${fx.url}/proxies/payments`],
    });
    expect((await fx.proxy("payments")).toxics).toEqual([]); // plan touches nothing
  });

  it("plans an outage", async () => {
    const planned = await fx.injector.plan(toxiproxyFault("down", { proxy: "inventory", toxic: "outage" }));
    expect(planned.action).toMatch(
      /^outage: proxy inventory \(127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+\) disabled/,
    );
  });

  it("refuses a proxy the server does not have, naming the ones it has", async () => {
    const injector = new ToxiproxyInjector({ url: fx.url, proxies: ["payments", "ghost"] });
    const err = await rejection(injector.plan(latency("ghost")));
    expect(err.message).toMatch(/proxy "ghost" does not exist on Toxiproxy at http:\/\/127\.0\.0\.1:\d+/);
    expect(err.message).toContain("(it has: inventory, ledger, payments)");
    await rejection(injector.inject(latency("ghost"), ctx));
  });

  it("refuses a proxy outside the allow-list, on plan and on inject, without touching it", async () => {
    const err = await rejection(fx.injector.plan(latency("ledger")));
    expect(err.message).toContain(
      `proxy "ledger" is not in the target's toxiproxy allow-list (allowed: payments, inventory)`,
    );
    await rejection(fx.injector.inject(latency("ledger"), ctx));
    await rejection(fx.injector.inject(toxiproxyFault("x", { proxy: "ledger", toxic: "outage" }), ctx));
    expect(await fx.proxy("ledger")).toMatchObject({ enabled: true, toxics: [] });
  });

  it("reports an unreachable server with its URL and the cause", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const injector = new ToxiproxyInjector({ url, proxies: ["payments"] });
    const err = await rejection(injector.plan(latency("payments")));
    expect(err.message).toContain(`Toxiproxy at ${url} does not answer`);
    expect(err.message).toContain("ECONNREFUSED");
  });

  it("says so when the URL answers but is not Toxiproxy", async () => {
    const injector = new ToxiproxyInjector({ url: fx.upstreamUrl, proxies: ["payments"] });
    const err = await rejection(injector.plan(latency("payments")));
    expect(err.message).toMatch(/answer is not JSON, is this Toxiproxy\?/);
  });

  it("refuses to inject a toxic whose name is already taken, leaving the first in place", async () => {
    const first = await fx.injector.inject(latency("payments"), ctx);
    const err = await rejection(fx.injector.inject(latency("payments"), ctx));
    expect(err.message).toMatch(/toxic "gameday\.pre1\.slow-payments" already exists on proxy payments/);
    expect((await fx.proxy("payments")).toxics).toHaveLength(1);
    await first.revert();
    await first.verifyReverted();
  });

  it("reports a proxy deleted between plan and inject", async () => {
    await fx.injector.plan(latency("payments"));
    await fx.deleteProxy("payments");
    try {
      const err = await rejection(fx.injector.inject(latency("payments"), ctx));
      expect(err.message).toMatch(/proxy "payments" does not exist/);
    } finally {
      await fx.createProxy("payments");
    }
  });

  it("refuses a run id that cannot be part of a toxic name in a URL", async () => {
    await rejection(fx.injector.inject(latency("payments"), { runId: "a/b", experiment: "x" }));
  });
});
