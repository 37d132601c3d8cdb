import { PreflightError } from "../errors/gameday-error.js";
import type { FaultSpec } from "../experiment/schema.js";
import type { FaultInjector } from "../interfaces/injector.js";
import type { Target } from "../targets/targets-schema.js";
import { ToxiproxyInjector } from "./toxiproxy/toxiproxy-injector.js";

export type FaultFamily = "toxiproxy";

/** The schema guarantees exactly one family key per fault; this names it. */
export function familyOf(fault: FaultSpec): FaultFamily {
  if (fault.toxiproxy) return "toxiproxy";
  throw new PreflightError(`fault "${fault.name}" names no fault family`);
}

/** The injectors a target environment allows; a family the target does not configure is refused. */
export class InjectorRegistry {
  private readonly injectors = new Map<string, FaultInjector>();

  constructor(target: Target) {
    if (target.toxiproxy) this.injectors.set("toxiproxy", new ToxiproxyInjector(target.toxiproxy));
  }

  register(injector: FaultInjector): void {
    this.injectors.set(injector.family, injector);
  }

  all(): FaultInjector[] {
    return [...this.injectors.values()];
  }

  for(fault: FaultSpec): FaultInjector {
    const family = familyOf(fault);
    const injector = this.injectors.get(family);
    if (!injector)
      throw new PreflightError(
        `fault "${fault.name}" uses ${family}, but the target environment has no ${family} entry`,
      );
    return injector;
  }
}
