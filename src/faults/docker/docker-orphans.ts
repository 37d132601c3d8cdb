import type Docker from "dockerode";
import { RollbackError } from "../../errors/gameday-error.js";
import type { OrphanFault } from "../../interfaces/injector.js";
import type { DockerTarget } from "../../targets/docker-target-schema.js";
import { ActiveDockerFault } from "./active-docker-fault.js";
import { describeAction } from "./apply-action.js";
import { allowed } from "./container-selector.js";
import { inspectOrUndefined } from "./docker-client.js";
import { listMarkers, type Marker } from "./owner-marker.js";

export type DockerOrphan = OrphanFault & { markerId: string; container: string };
type Listed = Awaited<ReturnType<typeof listMarkers>>[number];

/**
 * Only markers whose container is in the target's allow-list: its labels now, or (once it vanished)
 * the labels the marker recorded. A marker that shows neither is another allow-list's business.
 */
async function inScope(docker: Docker, target: DockerTarget, markers: Listed[]): Promise<Listed[]> {
  const out: Listed[] = [];
  for (const m of markers) {
    const live = m.targetId ? await inspectOrUndefined(docker, m.targetId) : undefined;
    const labels = live?.Config.Labels ?? ("record" in m ? m.targetLabels : undefined);
    if (labels && allowed(target, labels)) out.push(m);
  }
  return out;
}

/** Every owner marker (of one run, or all) in scope: each is one container gameday changed and has not restored. */
export async function listDockerOrphans(
  docker: Docker,
  target: DockerTarget,
  runId?: string,
): Promise<DockerOrphan[]> {
  return (await inScope(docker, target, await listMarkers(docker, runId))).map((m) =>
    "record" in m
      ? {
          family: "docker",
          ownerTag: m.record.ownerTag,
          runId: m.record.runId,
          installation: m.record.installation,
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
  target: DockerTarget,
  orphan: OrphanFault,
  log: (line: string) => void,
): Promise<void> {
  // This orphan's markers first, then the allow-list check: inScope inspects each marker's container.
  const mine = (await listMarkers(docker, orphan.runId || undefined)).filter((m) =>
    "record" in m ? m.record.ownerTag === orphan.ownerTag : orphan.ownerTag === "",
  );
  const markers = await inScope(docker, target, mine);
  // Without a readable prior state gameday will not guess: the marker stays as the evidence.
  const broken = markers.flatMap((m) => ("broken" in m ? [m.broken] : []));
  if (broken.length > 0)
    throw new RollbackError(
      `${broken.join("; ")}: its prior state cannot be read, so it was not restored; check the container by hand, then docker rm the marker`,
    );
  const readable = markers.flatMap((m): Marker[] => ("record" in m ? [m] : []));
  if (readable.length === 0) return;
  const first = readable[0] as Marker;
  const active = new ActiveDockerFault(
    docker,
    readable,
    first.record.fault,
    orphan.ownerTag,
    orphan.description,
    log,
  );
  await active.revert();
  await active.verifyReverted();
}
