import { PreflightError } from "../errors/gameday-error.js";
import type { FaultSpec } from "../experiment/schema.js";
import type { FaultInjector } from "../interfaces/injector.js";
import type { Target } from "../targets/targets-schema.js";

export type FaultFamily = "toxiproxy" | "kubernetes" | "docker" | "app";

/** The schema guarantees exactly one family key per fault; this names it. */
export function familyOf(fault: FaultSpec): FaultFamily {
  if (fault.toxiproxy) return "toxiproxy";
  if (fault.docker) return "docker";
  if (fault.kubernetes) return "kubernetes";
  if (fault.app) return "app";
  throw new PreflightError(`fault "${fault.name}" names no fault family`);
}

/**
 * The injectors a target environment allows; a family the target does not configure is refused.
 * Families load lazily: the Kubernetes and Docker clients alone cost ~100 MB and a second of
 * start-up, which a Toxiproxy-only run should not pay.
 */
export class InjectorRegistry {
  private readonly injectors = new Map<string, FaultInjector>();

  static async forTarget(target: Target): Promise<InjectorRegistry> {
    const registry = new InjectorRegistry();
    if (target.toxiproxy) {
      const { ToxiproxyInjector } = await import("./toxiproxy/toxiproxy-injector.js");
      registry.register(new ToxiproxyInjector(target.toxiproxy));
    }
    if (target.docker) {
      const { DockerInjector } = await import("./docker/docker-injector.js");
      registry.register(new DockerInjector(target.docker));
    }
    if (target.kubernetes) {
      const { KubernetesInjector } = await import("./kubernetes/kubernetes-injector.js");
      registry.register(new KubernetesInjector(target.kubernetes));
    }
    if (target.app) {
      const { AppFaultInjector } = await import("./app/app-fault-injector.js");
      registry.register(new AppFaultInjector(target.app));
    }
    if (target.mutableEnv?.length) {
      // Configuration changes (mutants): only where the target allows some variable to change.
      const { ConfigInjector } = await import("./config/config-injector.js");
      registry.register(new ConfigInjector(target));
    }
    return registry;
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
