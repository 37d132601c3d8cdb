import { InfrastructureError, PreflightError, RollbackError } from "../../src/errors/gameday-error.js";
import type { FaultSpec } from "../../src/experiment/schema.js";
import { parseOwnerTag } from "../../src/faults/owner-tag.js";
import {
  type ActiveFault,
  type FaultInjector,
  type FaultPresence,
  type InjectContext,
  type OrphanFault,
  ownerTag,
  type PlannedFault,
} from "../../src/interfaces/injector.js";

/** The "target system" of the fake family: owner tag -> what was injected. Shared by injectors, like a real server. */
export class FakeTarget {
  readonly faults = new Map<string, { fault: string; value: string }>();
  readonly log: string[] = [];
  /** Reverts of these tags fail (a server that refuses). */
  readonly failRevert = new Set<string>();
  /** Injections of these fault names fail after nothing was applied. */
  readonly failInject = new Set<string>();

  /** Someone else removes or changes a fault (another operator, a second gameday). */
  tamper(tag: string, how: "remove" | "change"): void {
    if (how === "remove") this.faults.delete(tag);
    else {
      const f = this.faults.get(tag);
      if (f) f.value = "changed";
    }
  }

  tags(): string[] {
    return [...this.faults.keys()].sort();
  }
}

class FakeActive implements ActiveFault {
  readonly family: string;
  constructor(
    private readonly target: FakeTarget,
    family: string,
    readonly fault: string,
    readonly ownerTag: string,
    private readonly value: string,
  ) {
    this.family = family;
  }
  get description(): string {
    return `fake ${this.fault} (${this.ownerTag})`;
  }
  async stillInPlace(): Promise<FaultPresence> {
    const now = this.target.faults.get(this.ownerTag);
    if (!now) return { inPlace: false, why: `${this.ownerTag} was removed` };
    if (now.value !== this.value)
      return { inPlace: false, why: `${this.ownerTag} was changed to ${now.value}` };
    return { inPlace: true };
  }
  async revert(): Promise<void> {
    this.target.log.push(`revert ${this.ownerTag}`);
    if (this.target.failRevert.has(this.ownerTag))
      throw new RollbackError(`fake server refused to remove ${this.ownerTag}`);
    this.target.faults.delete(this.ownerTag); // gone already is fine: revert is idempotent
  }
  async verifyReverted(): Promise<void> {
    if (this.target.faults.has(this.ownerTag)) throw new RollbackError(`${this.ownerTag} is still there`);
  }
}

/**
 * An in-memory injector with the real contract, so the lifecycle (rollback in finally, verdict
 * precedence, signals, tampering, leftovers, sweeps) is unit-tested in milliseconds. It claims the
 * toxiproxy family's faults (the schema needs a family key) and uses the proxy name as the value.
 */
export class FakeInjector implements FaultInjector {
  constructor(
    readonly target: FakeTarget = new FakeTarget(),
    readonly family = "toxiproxy",
  ) {}

  async plan(fault: FaultSpec): Promise<PlannedFault> {
    if (!fault.toxiproxy) throw new PreflightError(`fault "${fault.name}" is not for the fake injector`);
    return { fault: fault.name, family: this.family, action: "fake", targets: [fault.toxiproxy.proxy] };
  }

  async inject(fault: FaultSpec, ctx: InjectContext): Promise<ActiveFault> {
    const tag = ownerTag(ctx.runId, fault.name, ctx.installation);
    this.target.log.push(`inject ${tag}`);
    if (this.target.failInject.has(fault.name))
      throw new InfrastructureError(`fake inject of ${fault.name} failed`);
    const value = fault.toxiproxy?.proxy ?? "?";
    this.target.faults.set(tag, { fault: fault.name, value });
    return new FakeActive(this.target, this.family, fault.name, tag, value);
  }

  async findOrphans(runId?: string): Promise<OrphanFault[]> {
    const out: OrphanFault[] = [];
    for (const [tag] of this.target.faults) {
      const p = parseOwnerTag(tag);
      if (!p || (runId !== undefined && p.runId !== runId)) continue;
      out.push({
        family: this.family,
        ownerTag: tag,
        runId: p.runId,
        installation: p.installation,
        description: `fake ${p.fault}`,
      });
    }
    return out;
  }

  async revertOrphan(orphan: OrphanFault): Promise<void> {
    const f = this.target.faults.get(orphan.ownerTag);
    if (!f) return;
    await new FakeActive(this.target, this.family, f.fault, orphan.ownerTag, f.value).revert();
  }
}
