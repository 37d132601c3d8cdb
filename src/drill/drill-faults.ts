import { InjectorRegistry } from "../faults/injector-registry.js";
import type { ActiveFault, FaultInjector } from "../interfaces/injector.js";

interface Held {
  active: ActiveFault;
  revertedEarly: boolean;
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
        const held: Held = { active, revertedEarly: false };
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
    // Reverted on purpose by a mitigation: not tampering. The final rollback still verifies it gone.
    stillInPlace: () => (held.revertedEarly ? Promise.resolve({ inPlace: true }) : active.stillInPlace()),
    revert: () => (held.revertedEarly ? Promise.resolve() : active.revert()),
    verifyReverted: () => active.verifyReverted(),
  };
}
