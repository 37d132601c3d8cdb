import type Docker from "dockerode";
import { InfrastructureError, PreflightError } from "../../errors/gameday-error.js";
import type { DockerFaultSpec } from "../../experiment/docker-fault-schema.js";
import { formatMemorySize } from "../../experiment/memory-size.js";
import type { FaultSpec } from "../../experiment/schema.js";
import {
  type ActiveFault,
  type FaultInjector,
  type InjectContext,
  type OrphanFault,
  ownerTag,
  type PlannedFault,
} from "../../interfaces/injector.js";
import type { DockerTarget } from "../../targets/docker-target-schema.js";
import { revertError } from "../revert-error.js";
import { ActiveDockerFault } from "./active-docker-fault.js";
import { applyAction, checkHelperRuntime, describeAction, refusal } from "./apply-action.js";
import { pick, selectContainers } from "./container-selector.js";
import { dockerClient, errorText, inspectOrUndefined, pingEngine } from "./docker-client.js";
import { type DockerOrphan, listDockerOrphans, revertDockerOrphan } from "./docker-orphans.js";
import { hostOomAccessProblem } from "./host-oom-score.js";
import { createMarker, type Marker, removeMarker } from "./owner-marker.js";
import { priorStateOf } from "./prior-state.js";
import { restoreContainer } from "./restore-container.js";

function specOf(fault: FaultSpec): DockerFaultSpec {
  if (!fault.docker) throw new PreflightError(`fault "${fault.name}" is not a docker fault`);
  return fault.docker;
}

/** Stop, kill, pause, restart, memory and CPU pressure, network outages: through the Docker Engine API. */
export class DockerInjector implements FaultInjector {
  readonly family = "docker";
  private readonly docker: Docker;

  constructor(
    private readonly target: DockerTarget,
    private readonly log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {
    this.docker = dockerClient(target.socket);
  }

  async plan(fault: FaultSpec): Promise<PlannedFault> {
    const spec = specOf(fault);
    await pingEngine(this.docker, this.target.socket);
    await this.checkHostMemory(fault.name, spec);
    const sel = await selectContainers(this.docker, this.target, spec, fault.name);
    const names = sel.candidates.map((c) => `${c.name} (${c.state})`);
    const which = `${sel.count} of`;
    return {
      fault: fault.name,
      family: this.family,
      action: `${describeAction(spec)} on ${which} ${sel.candidates.length} container(s), mode ${spec.mode}, max ${spec.max}`,
      targets: names.map((n) => `docker://${this.target.socket}/${n}`),
    };
  }

  async inject(fault: FaultSpec, ctx: InjectContext): Promise<ActiveFault> {
    const spec = specOf(fault);
    const tag = ownerTag(ctx.runId, fault.name, ctx.installation);
    await pingEngine(this.docker, this.target.socket);
    const chosen = pick(await selectContainers(this.docker, this.target, spec, fault.name));
    // Every check before any harm: a refusal of one container means nothing is injected at all.
    const priors = [];
    for (const c of chosen) {
      const info = await inspectOrUndefined(this.docker, c.id);
      if (!info)
        throw new PreflightError(`fault "${fault.name}": container ${c.name} disappeared before injection`);
      const prior = priorStateOf(info);
      const why = refusal(spec, prior);
      if (why)
        throw new PreflightError(
          `fault "${fault.name}": refusing ${spec.action} on container ${prior.name}: ${why}`,
        );
      if (spec.action === "memory-hog" || spec.action === "cpu-burn")
        await checkHelperRuntime(this.docker, prior);
      const oom =
        spec.action === "memory-hog" && spec.oomVictim === "main" ? hostOomAccessProblem(info) : undefined;
      if (oom)
        throw new PreflightError(`fault "${fault.name}": refusing memory-hog with oomVictim main: ${oom}`);
      priors.push({ info, prior });
    }
    const deadline = Date.now() + fault.for;
    const markers: Marker[] = [];
    for (const { info, prior } of priors) {
      const record = {
        ownerTag: tag,
        runId: ctx.runId,
        installation: ctx.installation,
        fault: fault.name,
        spec,
        prior,
        deadline: new Date(deadline).toISOString(),
      };
      const marker = await createMarker(this.docker, info, record);
      markers.push(marker);
      try {
        await applyAction(this.docker, spec, prior, tag, deadline);
      } catch (err) {
        await this.undo(markers);
        throw new InfrastructureError(
          `fault "${fault.name}": ${spec.action} on container ${prior.name} failed: ${errorText(err)}`,
          { cause: err },
        );
      }
    }
    const names = priors.map((p) => p.prior.name).join(", ");
    return new ActiveDockerFault(
      this.docker,
      markers,
      fault.name,
      tag,
      `${describeAction(spec)} on ${names}`,
      this.log,
    );
  }

  async findOrphans(runId?: string): Promise<DockerOrphan[]> {
    try {
      return await listDockerOrphans(this.docker, this.target, runId);
    } catch (err) {
      throw new InfrastructureError(
        `cannot list gameday owner markers on the Docker Engine at ${this.target.socket}: ${errorText(err)}`,
        { cause: err },
      );
    }
  }

  async revertOrphan(orphan: OrphanFault): Promise<void> {
    try {
      await revertDockerOrphan(this.docker, this.target, orphan, this.log);
    } catch (err) {
      throw revertError(err, `${orphan.ownerTag} on ${this.target.socket}`);
    }
  }

  /** Takes back an injection that failed part-way: every container touched so far, then the markers. */
  private async undo(markers: Marker[]): Promise<void> {
    for (const m of markers) {
      try {
        await restoreContainer(this.docker, m.record);
        await removeMarker(this.docker, m.id);
      } catch (err) {
        this.log(
          `docker: could not undo ${m.record.prior.name} (${errorText(err)}); \`gameday recover\` finds it`,
        );
      }
    }
  }

  private async checkHostMemory(fault: string, spec: DockerFaultSpec): Promise<void> {
    const size =
      spec.action === "memory-hog" ? spec.size : spec.action === "memory-limit" ? spec.limit : undefined;
    if (size === undefined) return;
    const info = (await this.docker.info()) as { MemTotal?: number };
    if (info.MemTotal !== undefined && size > info.MemTotal)
      throw new PreflightError(
        `fault "${fault}": ${formatMemorySize(size)} is more than the Docker host's memory (${formatMemorySize(info.MemTotal)})`,
      );
  }
}
