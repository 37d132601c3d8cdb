import { InjectorRegistry } from "../faults/injector-registry.js";
import type { ActiveFault, FaultInjector } from "../interfaces/injector.js";

interface Held {
  active: ActiveFault;
  revertedEarly: boolean;
  /** The service whose process holds the fault (an app fault's `service`), else undefined. */
  service: string | undefined;
  /** Its service is being restarted: the fault vanishes with the process, on purpose. */
  wiping: boolean;
}

/**
 * The drill's view of its faults, between the run lifecycle and the injectors. The run still
 * journals, injects, checks, reverts and verifies every fault; this only lets a responder's
 * mitigation revert a fault early, through the same ActiveFault (revert, then verify), without
 * the run's next check taking the missing fault for someone else's tampering.
 */
export class DrillFaults {
  /** Set by the first early revert: the scenario is over, later faults are not injected. */
  private cleared = false;
  private readonly held = new Map<string, Held>();
  onInjected?: (fault: string, description: string) => void;

  wrap(registry: InjectorRegistry): InjectorRegistry {
    const wrapped = new InjectorRegistry();
    for (const injector of registry.all()) wrapped.register(this.wrapInjector(injector));
    return wrapped;
  }

  private wrapInjector(inner: FaultInjector): FaultInjector {
    return {
      family: inner.family,
      plan: (fault) => inner.plan(fault),
      inject: async (fault, ctx) => {
        // A scenario a mitigation cleared stays cleared: its later faults (a second step at +40 s)
        // must not bring the symptom back. Nothing is injected, and the journal says so.
        if (this.cleared) return notInjected(fault.name, inner.family);
        const active = await inner.inject(fault, ctx);
        const held: Held = { active, revertedEarly: false, service: fault.app?.service, wiping: false };
        this.held.set(active.fault, held);
        this.onInjected?.(active.fault, active.description);
        return heldFault(held);
      },
      findOrphans: (runId) => inner.findOrphans(runId),
      revertOrphan: (orphan) => inner.revertOrphan(orphan),
    };
  }

  /** Reverts (and verifies) every fault still in place; returns the names reverted. Throws what could not be verified. */
  async revertEarly(): Promise<string[]> {
    this.cleared = true;
    const done: string[] = [];
    for (const [name, held] of this.held) {
      if (held.revertedEarly) continue;
      await held.active.revert();
      await held.active.verifyReverted();
      held.revertedEarly = true;
      done.push(name);
    }
    return done;
  }

  /**
   * Runs `restart` (a mitigation restarting one service's process) knowing that the app faults
   * held by that service live in its memory and vanish with it: meanwhile the run's checks take
   * their absence for the mitigation, not for tampering. Once the process is back, each such fault
   * is reverted (already gone: nothing to remove, no error) and verified gone, as an early revert,
   * and the scenario counts as cleared. Returns the restart's result and the names wiped. A
   * failed restart wipes nothing: the run's checks judge what is left.
   */
  async restarting<T>(service: string, restart: () => Promise<T>): Promise<{ result: T; wiped: string[] }> {
    const hit = [...this.held].filter(([, h]) => !h.revertedEarly && h.service === service);
    for (const [, h] of hit) h.wiping = true;
    let result: T;
    try {
      result = await restart();
    } catch (err) {
      for (const [, h] of hit) h.wiping = false;
      throw err;
    }
    const wiped: string[] = [];
    try {
      for (const [name, h] of hit) {
        await h.active.revert();
        await h.active.verifyReverted();
        h.revertedEarly = true;
        wiped.push(name);
      }
    } finally {
      for (const [, h] of hit) h.wiping = false;
    }
    if (wiped.length > 0) this.cleared = true;
    return { result, wiped };
  }

  get injectedCount(): number {
    return this.held.size;
  }
}

function notInjected(fault: string, family: string): ActiveFault {
  return {
    fault,
    family,
    ownerTag: "-",
    description: "not injected: a mitigation had already cleared the scenario",
    stillInPlace: () => Promise.resolve({ inPlace: true }),
    revert: () => Promise.resolve(),
    verifyReverted: () => Promise.resolve(),
  };
}

function heldFault(held: Held): ActiveFault {
  const { active } = held;
  return {
    fault: active.fault,
    family: active.family,
    ownerTag: active.ownerTag,
    description: active.description,
    // Reverted on purpose by a mitigation (or going with its restarted service): not tampering. A
    // check that was already under way when the restart began is judged by the flags as they are
    // at its end. The final rollback still verifies it gone.
    stillInPlace: async () => {
      const intended = () => held.revertedEarly || held.wiping;
      if (intended()) return { inPlace: true };
      try {
        const presence = await active.stillInPlace();
        return intended() ? { inPlace: true } : presence;
      } catch (err) {
        if (intended()) return { inPlace: true };
        throw err;
      }
    },
    revert: () => (held.revertedEarly ? Promise.resolve() : active.revert()),
    verifyReverted: () => active.verifyReverted(),
  };
}
