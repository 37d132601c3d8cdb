import type Docker from "dockerode";
import { RollbackError } from "../../errors/gameday-error.js";
import type { ActiveFault } from "../../interfaces/injector.js";
import { errorText } from "./docker-client.js";
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

/** The run id inside an owner tag `gameday.<run>.<fault>`. */
function runOfTag(tag: string): string {
  return tag.slice(tag.indexOf(".") + 1, tag.lastIndexOf("."));
}
