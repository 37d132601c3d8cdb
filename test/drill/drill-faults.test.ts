import { describe, expect, it } from "vitest";
import { DrillFaults } from "../../src/drill/drill-faults.js";
import type { FaultSpec } from "../../src/experiment/schema.js";
import { InjectorRegistry } from "../../src/faults/injector-registry.js";
import type { ActiveFault, FaultInjector } from "../../src/interfaces/injector.js";

/**
 * A fake world of faults: each lives in `present` until removed; an app fault also vanishes when
 * its service "restarts". revert of an absent fault is a no-op, as the app injector's (DELETE 404).
 */
function world() {
  const present = new Set<string>();
  const calls: string[] = [];
  const injector = (family: "app" | "toxiproxy"): FaultInjector => ({
    family,
    plan: (f) => Promise.resolve({ fault: f.name, family, action: "x", targets: [] }),
    inject: (f) => {
      present.add(f.name);
      const active: ActiveFault = {
        fault: f.name,
        family,
        ownerTag: `gameday@test.run.${f.name}`,
        description: f.name,
        stillInPlace: () =>
          Promise.resolve(
            present.has(f.name) ? { inPlace: true } : { inPlace: false, why: `${f.name} gone` },
          ),
        revert: () => {
          calls.push(`revert ${f.name}${present.has(f.name) ? "" : " (absent)"}`);
          present.delete(f.name);
          return Promise.resolve();
        },
        verifyReverted: () => {
          calls.push(`verify ${f.name}`);
          return present.has(f.name) ? Promise.reject(new Error(`${f.name} remains`)) : Promise.resolve();
        },
      };
      return Promise.resolve(active);
    },
    findOrphans: () => Promise.resolve([]),
    revertOrphan: () => Promise.resolve(),
  });
  const registry = new InjectorRegistry();
  registry.register(injector("app"));
  registry.register(injector("toxiproxy"));
  return { present, calls, registry };
}

const CTX = { runId: "run", experiment: "drill" };
const appFault = (name: string, service: string) =>
  ({ name, app: { service, action: "cache-hit-ratio", missRatio: 1 } }) as unknown as FaultSpec;
const toxic = (name: string) =>
  ({ name, toxiproxy: { proxy: "risk", toxic: "latency", latency: 100 } }) as unknown as FaultSpec;

describe("a restart of a service clears the app faults it held (drill mitigations)", () => {
  it("their absence is no tampering, they are reverted (already gone) and verified, other faults stay", async () => {
    const { present, calls, registry } = world();
    const faults = new DrillFaults();
    const wrapped = faults.wrap(registry);
    const inject = (f: FaultSpec) => wrapped.for(f).inject(f, CTX);
    const cache = await inject(appFault("cold-cache", "risk"));
    const other = await inject(appFault("orders-drift", "orders"));
    const net = await inject(toxic("slow-net"));
    const seenDuring: unknown[] = [];
    const { result, wiped } = await faults.restarting("risk", async () => {
      present.delete("cold-cache"); // the process is gone, and its fault with it
      seenDuring.push(await cache.stillInPlace());
      return "restarted risk";
    });
    expect(result).toBe("restarted risk");
    expect(wiped).toEqual(["cold-cache"]);
    expect(seenDuring).toEqual([{ inPlace: true }]);
    expect(calls).toEqual(["revert cold-cache (absent)", "verify cold-cache"]);
    // After the restart: the wiped fault is not missing, the others are still checked for real.
    expect(await cache.stillInPlace()).toEqual({ inPlace: true });
    expect(await other.stillInPlace()).toEqual({ inPlace: true });
    present.delete("slow-net");
    expect((await net.stillInPlace()).inPlace).toBe(false);
    // The scenario is cleared: a later fault is not injected; the final rollback still verifies.
    const later = await inject(appFault("later", "risk"));
    expect(later.description).toContain("not injected");
    expect(present.has("later")).toBe(false);
    calls.length = 0;
    await cache.revert();
    await cache.verifyReverted();
    expect(calls).toEqual(["verify cold-cache"]);
  });

  it("a restart of a service holding none wipes nothing and clears nothing", async () => {
    const { present, registry } = world();
    const faults = new DrillFaults();
    const wrapped = faults.wrap(registry);
    const cache = await wrapped
      .for(appFault("cold-cache", "risk"))
      .inject(appFault("cold-cache", "risk"), CTX);
    const { wiped } = await faults.restarting("payments", () => Promise.resolve("restarted payments"));
    expect(wiped).toEqual([]);
    expect(present.has("cold-cache")).toBe(true);
    expect(await cache.stillInPlace()).toEqual({ inPlace: true });
    const later = await wrapped.for(toxic("later")).inject(toxic("later"), CTX);
    expect(later.description).not.toContain("not injected");
  });

  it("a failed restart wipes nothing: the run's checks judge what is left, the rollback still reverts it", async () => {
    const { present, calls, registry } = world();
    const faults = new DrillFaults();
    const wrapped = faults.wrap(registry);
    const cache = await wrapped
      .for(appFault("cold-cache", "risk"))
      .inject(appFault("cold-cache", "risk"), CTX);
    await expect(
      faults.restarting("risk", () => {
        present.delete("cold-cache");
        return Promise.reject(new Error("could not start risk"));
      }),
    ).rejects.toThrow("could not start risk");
    expect((await cache.stillInPlace()).inPlace).toBe(false);
    present.add("cold-cache");
    await cache.revert();
    expect(calls).toEqual(["revert cold-cache"]);
    expect(present.has("cold-cache")).toBe(false);
  });
});
