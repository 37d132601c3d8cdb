import { FAULT_ID_PATTERN } from "../../../sandbox-services/lib/control/app-fault-contract.js";
import { InfrastructureError, PreflightError } from "../../errors/gameday-error.js";
import type { AppFaultSpec } from "../../experiment/app-fault-schema.js";
import type { FaultSpec } from "../../experiment/schema.js";
import {
  type FaultInjector,
  type InjectContext,
  type OrphanFault,
  ownerTag,
  type PlannedFault,
} from "../../interfaces/injector.js";
import type { AppTarget } from "../../targets/app-target-schema.js";
import { readCredential } from "../../targets/credentials.js";
import { errorText, revertError } from "../revert-error.js";
import { ActiveAppFault } from "./active-app-fault.js";
import { AppControlClient } from "./app-control-client.js";
import { applyRequest, describeAppFault } from "./app-fault-request.js";
import { type AppOrphan, listAppOrphans, revertAppOrphanTag } from "./app-orphans.js";

function specOf(fault: FaultSpec): AppFaultSpec {
  if (!fault.app) throw new PreflightError(`fault "${fault.name}" is not an app fault`);
  return fault.app;
}

/**
 * Application-level faults (cache, database, pool, leaks, config drift) through each service's
 * control endpoint. Reach is the target's `app.services` allow-list; ownership is the fault's id
 * and owner, both the owner tag, so `gameday recover` finds it on GET /faults without a journal.
 */
export class AppFaultInjector implements FaultInjector {
  readonly family = "app";
  private readonly clients = new Map<string, AppControlClient>();

  constructor(target: AppTarget, options: { timeoutMs?: number } = {}) {
    for (const [name, s] of Object.entries(target.services))
      this.clients.set(
        name,
        new AppControlClient(s.control, () => readCredential(s.token), options.timeoutMs),
      );
  }

  async plan(fault: FaultSpec): Promise<PlannedFault> {
    const spec = specOf(fault);
    const client = this.client(fault.name, spec.service);
    let list: Awaited<ReturnType<AppControlClient["list"]>>;
    try {
      list = await client.list();
    } catch (err) {
      throw new PreflightError(`fault "${fault.name}": ${spec.service}: ${errorText(err)}`, { cause: err });
    }
    if (!list.supports.includes(spec.action))
      throw new PreflightError(
        `fault "${fault.name}": ${spec.service} does not support ${spec.action} (it supports ${list.supports.join(", ") || "nothing"})`,
      );
    if (spec.action === "config-drift" && list.state.config[spec.key] === undefined)
      throw new PreflightError(
        `fault "${fault.name}": ${spec.service} has no config value ${spec.key} (it has ${Object.keys(list.state.config).join(", ")})`,
      );
    return {
      fault: fault.name,
      family: this.family,
      action: describeAppFault(spec),
      targets: [`${client.url}/faults`],
    };
  }

  async inject(fault: FaultSpec, ctx: InjectContext): Promise<ActiveAppFault> {
    const spec = specOf(fault);
    const client = this.client(fault.name, spec.service);
    const tag = ownerTag(ctx.runId, fault.name, ctx.installation);
    if (!FAULT_ID_PATTERN.test(tag))
      throw new PreflightError(
        `run id "${ctx.runId}" cannot be part of an app fault id (letters, digits, . _ @ -)`,
      );
    let applied: Awaited<ReturnType<AppControlClient["apply"]>>;
    try {
      applied = await client.apply(tag, applyRequest(spec, tag));
    } catch (err) {
      throw new InfrastructureError(
        `fault "${fault.name}": cannot apply in ${spec.service}: ${errorText(err)}`,
        {
          cause: err,
        },
      );
    }
    return new ActiveAppFault(client, spec.service, applied, fault.name, describeAppFault(spec));
  }

  async findOrphans(runId?: string): Promise<AppOrphan[]> {
    try {
      return await listAppOrphans(this.clients, runId);
    } catch (err) {
      throw new InfrastructureError(`cannot list app faults: ${errorText(err)}`, { cause: err });
    }
  }

  async revertOrphan(orphan: OrphanFault): Promise<void> {
    try {
      await revertAppOrphanTag(this.clients, orphan.ownerTag);
    } catch (err) {
      throw revertError(err, `app fault "${orphan.ownerTag}"`);
    }
  }

  private client(fault: string, service: string): AppControlClient {
    const client = this.clients.get(service);
    if (!client)
      throw new PreflightError(
        `fault "${fault}": service "${service}" is not in the target's app allow-list (allowed: ${[...this.clients.keys()].join(", ")})`,
      );
    return client;
  }
}
