import type Docker from "dockerode";
import type { DockerFaultSpec } from "../../experiment/docker-fault-schema.js";
import { isNotFound } from "./docker-client.js";
import { type PriorState, priorStateSchema } from "./prior-state.js";

/**
 * Containers cannot be relabelled after creation, so ownership lives on something gameday creates:
 * one marker container per touched container, created (never started, no network) from the
 * target's own image before any harm is done. Its labels say who owns the fault, what was done and
 * the exact prior state; `gameday recover` lists these to revert orphans without the journal.
 */
export const LABEL = {
  owner: "gameday.owner",
  run: "gameday.run",
  fault: "gameday.fault",
  role: "gameday.role",
  target: "gameday.target",
  spec: "gameday.spec",
  prior: "gameday.prior",
  deadline: "gameday.deadline",
  installation: "gameday.installation",
  /** The touched container's own labels, so the allow-list still applies after it vanished. */
  targetLabels: "gameday.target-labels",
} as const;

export const MARKER_ROLE = "owner-marker";

export interface OwnerRecord {
  ownerTag: string;
  runId: string;
  /** undefined on markers written before installation ids existed. */
  installation?: string | undefined;
  fault: string;
  spec: DockerFaultSpec;
  prior: PriorState;
  /** When the fault was planned to end (its hog processes exit by themselves then). */
  deadline: string;
}

export interface Marker {
  id: string;
  record: OwnerRecord;
  /** The touched container's labels when the marker was made (allow-list check), if recorded. */
  targetLabels?: Record<string, string> | undefined;
}

export async function createMarker(
  docker: Docker,
  target: Docker.ContainerInspectInfo,
  record: OwnerRecord,
): Promise<Marker> {
  const name = `gameday-marker-${record.runId}-${record.fault}-${target.Id.slice(0, 12)}`;
  const container = await docker.createContainer({
    name,
    Image: target.Image,
    Entrypoint: ["/gameday-owner-marker-never-started"],
    Cmd: [],
    Labels: {
      [LABEL.owner]: record.ownerTag,
      [LABEL.run]: record.runId,
      [LABEL.fault]: record.fault,
      [LABEL.role]: MARKER_ROLE,
      [LABEL.target]: target.Id,
      [LABEL.spec]: JSON.stringify(record.spec),
      [LABEL.prior]: JSON.stringify(record.prior),
      [LABEL.deadline]: record.deadline,
      ...(record.installation ? { [LABEL.installation]: record.installation } : {}),
      [LABEL.targetLabels]: JSON.stringify(target.Config.Labels ?? {}),
    },
    HostConfig: { NetworkMode: "none", RestartPolicy: { Name: "no" } },
  });
  return { id: container.id, record, targetLabels: target.Config.Labels ?? {} };
}

/**
 * Markers of one run, or of every run (optionally only those on one container, filtered by the
 * Engine rather than here); a marker whose labels cannot be read is still listed.
 */
export async function listMarkers(
  docker: Docker,
  runId?: string,
  targetId?: string,
): Promise<Array<(Marker | { id: string; broken: string }) & { targetId: string }>> {
  const label = [`${LABEL.role}=${MARKER_ROLE}`];
  if (runId !== undefined) label.push(`${LABEL.run}=${runId}`);
  if (targetId !== undefined) label.push(`${LABEL.target}=${targetId}`);
  const found = await docker.listContainers({ all: true, filters: { label } });
  return found.map((c) => {
    const l = c.Labels;
    try {
      return {
        id: c.Id,
        targetId: l[LABEL.target] ?? "",
        record: {
          ownerTag: l[LABEL.owner] ?? "",
          runId: l[LABEL.run] ?? "",
          fault: l[LABEL.fault] ?? "",
          // Stored already parsed (bytes, milliseconds): read back as written, not re-validated.
          spec: JSON.parse(l[LABEL.spec] ?? "") as DockerFaultSpec,
          prior: priorStateSchema.parse(JSON.parse(l[LABEL.prior] ?? "")),
          deadline: l[LABEL.deadline] ?? "",
          installation: l[LABEL.installation] || undefined,
        },
        targetLabels: parseLabels(l[LABEL.targetLabels]),
      };
    } catch (err) {
      return {
        id: c.Id,
        targetId: l[LABEL.target] ?? "",
        broken: `owner marker ${c.Id.slice(0, 12)} of container ${(l[LABEL.target] ?? "?").slice(0, 12)} has unreadable labels: ${(err as Error).message}`,
      };
    }
  });
}

export async function removeMarker(docker: Docker, id: string): Promise<void> {
  try {
    await docker.getContainer(id).remove({ force: true });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

function parseLabels(text: string | undefined): Record<string, string> | undefined {
  return text ? (JSON.parse(text) as Record<string, string>) : undefined;
}
