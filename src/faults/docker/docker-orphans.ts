import type Docker from "dockerode";
import { RollbackError } from "../../errors/gameday-error.js";
import type { OrphanFault } from "../../interfaces/injector.js";
import { ActiveDockerFault } from "./active-docker-fault.js";
import { describeAction } from "./apply-action.js";
import { listMarkers } from "./owner-marker.js";

export type DockerOrphan = OrphanFault & { markerId: string; container: string };

/** Every owner marker (of one run, or all): each is one container gameday changed and has not restored. */
export async function listDockerOrphans(docker: Docker, runId?: string): Promise<DockerOrphan[]> {
  return (await listMarkers(docker, runId)).map((m) =>
    "record" in m
      ? {
          family: "docker",
          ownerTag: m.record.ownerTag,
          runId: m.record.runId,
          markerId: m.id,
          container: m.record.prior.name,
          description: `${describeAction(m.record.spec)} on container ${m.record.prior.name} (owner marker ${m.id.slice(0, 12)}, until ${m.record.deadline})`,
        }
      : { family: "docker", ownerTag: "", runId: "", markerId: m.id, container: "", description: m.broken },
  );
}

/** Re-reads the markers with this owner tag (not trusted from the listing), restores their containers, verifies. */
export async function revertDockerOrphan(
  docker: Docker,
  orphan: OrphanFault,
  log: (line: string) => void,
): Promise<void> {
  const markers = (await listMarkers(docker, orphan.runId || undefined)).filter((m) =>
    "record" in m ? m.record.ownerTag === orphan.ownerTag : orphan.ownerTag === "",
  );
  // Without a readable prior state gameday will not guess: the marker stays as the evidence.
  const broken = markers.flatMap((m) => ("broken" in m ? [m.broken] : []));
  if (broken.length > 0)
    throw new RollbackError(
      `${broken.join("; ")}: its prior state cannot be read, so it was not restored; check the container by hand, then docker rm the marker`,
    );
  const readable = markers.flatMap((m) => ("record" in m ? [m] : []));
  if (readable.length === 0) return;
  const first = readable[0] as (typeof readable)[number];
  const active = new ActiveDockerFault(
    docker,
    readable,
    first.record.fault,
    orphan.ownerTag,
    orphan.description,
    log,
  );
  await active.revert();
  await active.verifyReverted().catch((err: unknown) => {
    throw err instanceof RollbackError ? err : new RollbackError(String(err));
  });
}
