import type Docker from "dockerode";
import { RollbackError } from "../../errors/gameday-error.js";
import type { DockerFaultSpec } from "../../experiment/docker-fault-schema.js";
import type { ActiveFault, FaultPresence } from "../../interfaces/injector.js";
import { parseOwnerTag } from "../owner-tag.js";
import { errorText, inspectOrUndefined } from "./docker-client.js";
import { listMarkers, type Marker, removeMarker } from "./owner-marker.js";
import { remainingDifferences, restoreContainer } from "./restore-container.js";

/**
 * One docker fault on one or more containers, each with its owner marker. Revert restores every
 * container it can (a failure or a vanished container does not stop the others), removes a marker
 * only once its container is verified back in its prior state, and then reports what it could not.
 */
export class ActiveDockerFault implements ActiveFault {
  readonly family = "docker";
  private readonly pending: Marker[];
  /** Containers that no longer exist: nothing of ours remains on them, but they were not restored. */
  readonly vanished: string[] = [];

  constructor(
    private readonly docker: Docker,
    markers: Marker[],
    readonly fault: string,
    readonly ownerTag: string,
    readonly description: string,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.pending = [...markers];
  }

  /** Two inspects per container (marker, container), no exec: cheap enough for every sample. */
  async stillInPlace(): Promise<FaultPresence> {
    for (const marker of this.pending) {
      const name = marker.record.prior.name;
      if (!(await inspectOrUndefined(this.docker, marker.id)))
        return {
          inPlace: false,
          why: `the owner marker of ${name} (${marker.id.slice(0, 12)}) was removed by someone else`,
        };
      const info = await inspectOrUndefined(this.docker, marker.record.prior.id);
      if (!info) return { inPlace: false, why: `container ${name} was removed during the fault` };
      const why = changedBySomeoneElse(marker.record.spec, info);
      if (why) return { inPlace: false, why: `container ${name}: ${why}` };
    }
    return { inPlace: true };
  }

  async revert(): Promise<void> {
    const problems: string[] = [];
    for (const marker of [...this.pending]) {
      const name = marker.record.prior.name;
      try {
        if ((await restoreContainer(this.docker, marker.record)) === "vanished") {
          this.log(`docker: container ${name} disappeared during fault ${this.fault}; reverting the rest`);
          this.vanished.push(name);
          await removeMarker(this.docker, marker.id);
          this.pending.splice(this.pending.indexOf(marker), 1);
          continue;
        }
        const diffs = await remainingDifferences(this.docker, marker.record);
        if (diffs.length > 0) {
          problems.push(`${name}: ${diffs.join("; ")}`);
          continue;
        }
        await removeMarker(this.docker, marker.id);
        this.pending.splice(this.pending.indexOf(marker), 1);
      } catch (err) {
        problems.push(`${name}: ${errorText(err)}`);
      }
    }
    if (problems.length > 0 || this.vanished.length > 0) throw this.error(problems);
  }

  async verifyReverted(): Promise<void> {
    const problems: string[] = [];
    for (const marker of this.pending) {
      const diffs = await remainingDifferences(this.docker, marker.record, 0).catch((e: unknown) => [
        errorText(e),
      ]);
      problems.push(
        `${marker.record.prior.name}: ${diffs.length ? diffs.join("; ") : "owner marker not removed"}`,
      );
    }
    const markers = await listMarkers(this.docker, runOfTag(this.ownerTag)).catch(() => []);
    for (const m of markers)
      if ("record" in m && m.record.ownerTag === this.ownerTag && !this.pending.some((p) => p.id === m.id))
        problems.push(`owner marker ${m.id.slice(0, 12)} of ${m.record.prior.name} is still there`);
    if (problems.length > 0 || this.vanished.length > 0) throw this.error(problems);
  }

  private error(problems: string[]): RollbackError {
    const parts = [
      ...problems,
      ...this.vanished.map(
        (n) =>
          `container ${n} disappeared during the fault: nothing of gameday's remains on it, but it was not restored to its prior state`,
      ),
    ];
    return new RollbackError(
      `${this.ownerTag}: ${parts.join("; ")}${this.pending.length ? " (`gameday recover` finds the rest by its owner markers)" : ""}`,
    );
  }
}

/** What someone else undid of this action on the container, if anything (kill and restart are moments, not states). */
function changedBySomeoneElse(spec: DockerFaultSpec, info: Docker.ContainerInspectInfo): string | undefined {
  const hc = info.HostConfig;
  switch (spec.action) {
    case "stop":
      return info.State.Running ? "it was started again" : undefined;
    case "pause":
      return info.State.Paused ? undefined : "it was unpaused";
    case "memory-limit":
      return hc.Memory === spec.limit
        ? undefined
        : `its memory limit is ${hc.Memory}, not the injected ${spec.limit}`;
    case "cpu-quota": {
      const quota = (hc.NanoCpus ?? 0) > 0 ? (hc.NanoCpus ?? 0) / 1e9 : (hc.CpuQuota ?? 0) / 100_000;
      return Math.abs(quota - spec.cpus) < 0.001
        ? undefined
        : `its CPU quota is ${quota} cores, not the injected ${spec.cpus}`;
    }
    case "network-outage": {
      const back = Object.keys(info.NetworkSettings.Networks ?? {});
      return back.length ? `it was reconnected to ${back.join(", ")}` : undefined;
    }
    default:
      return undefined;
  }
}

/** The run id inside an owner tag (either shape). */
function runOfTag(tag: string): string | undefined {
  return parseOwnerTag(tag)?.runId;
}
