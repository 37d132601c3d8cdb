import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ToxiproxyInjector } from "../../../src/faults/toxiproxy/toxiproxy-injector.js";
import type { OrphanFault } from "../../../src/interfaces/injector.js";
import { tcpExchange } from "../../support/tcp-exchange.js";
import {
  ALLOWED,
  startToxiproxyFixture,
  type ToxiproxyFixture,
  toxiproxyFault,
} from "./toxiproxy-fixture.js";

let fx: ToxiproxyFixture;

beforeAll(async () => {
  fx = await startToxiproxyFixture();
});
afterEach(() => fx.reset());
afterAll(() => fx.stop());

/** A second injector, as `gameday recover` in a new process would have: no journal, no ActiveFault. */
const recoverer = () => new ToxiproxyInjector({ url: fx.url, proxies: ALLOWED });

describe("orphans: found and reverted from Toxiproxy alone", () => {
  it("finds every gameday toxic of a run, parses the owner tag, and reverts them", async () => {
    const run = { runId: "2026.11.22-a1b2", experiment: "crash" };
    // Injected and then dropped, as when the runner is killed -9.
    await fx.injector.inject(
      toxiproxyFault("slow", { proxy: "payments", toxic: "latency", latency: "500ms" }),
      run,
    );
    await fx.injector.inject(toxiproxyFault("down", { proxy: "inventory", toxic: "outage" }), run);
    await fx.injector.inject(toxiproxyFault("other", { proxy: "payments", toxic: "reset_peer" }), {
      runId: "another-run",
      experiment: "x",
    });
    await fetch(`${fx.url}/proxies/payments/toxics`, {
      method: "POST",
      body: JSON.stringify({ name: "hand-made", type: "latency", attributes: { latency: 1 } }),
    });

    const orphans = await recoverer().findOrphans(run.runId);
    expect(orphans).toHaveLength(2);
    expect(orphans).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ownerTag: "gameday.2026.11.22-a1b2.slow",
          runId: run.runId,
          fault: "slow",
        }),
        expect.objectContaining({
          ownerTag: "gameday.2026.11.22-a1b2.down",
          proxy: "inventory",
          outage: true,
        }),
      ]),
    );
    expect((await recoverer().findOrphans()).map((o) => o.runId).sort()).toEqual([
      "2026.11.22-a1b2",
      "2026.11.22-a1b2",
      "another-run",
    ]);

    // A plain OrphanFault (as read back from JSON) is enough: the proxy is looked up again.
    for (const o of orphans) {
      const plain: OrphanFault = JSON.parse(JSON.stringify(o));
      await recoverer().revertOrphan({ ...plain, description: "" });
    }
    expect(await recoverer().findOrphans(run.runId)).toEqual([]);
    expect(await fx.proxy("inventory")).toMatchObject({ enabled: true, toxics: [] });
    expect((await fx.proxy("payments")).toxics.map((t) => t.name).sort()).toEqual([
      "gameday.another-run.other",
      "hand-made",
    ]);
    expect((await tcpExchange(fx.port("inventory"), "/")).ended).toBe("closed");
  });

  it("reverting an orphan that is already gone is a no-op", async () => {
    await recoverer().revertOrphan({
      family: "toxiproxy",
      ownerTag: "gameday.r.none",
      runId: "r",
      description: "",
    });
  });

  it("an outage whose proxy was re-enabled but whose marker remained is cleaned up", async () => {
    await fx.injector.inject(toxiproxyFault("half", { proxy: "inventory", toxic: "outage" }), {
      runId: "half1",
      experiment: "x",
    });
    await fetch(`${fx.url}/proxies/inventory`, { method: "POST", body: JSON.stringify({ enabled: true }) });
    const [orphan] = await recoverer().findOrphans("half1");
    expect(orphan?.description).toMatch(/marker only, proxy already enabled/);
    await recoverer().revertOrphan(orphan as OrphanFault);
    expect(await fx.proxy("inventory")).toMatchObject({ enabled: true, toxics: [] });
  });
});
