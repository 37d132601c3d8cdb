import type Docker from "dockerode";
import { PreflightError } from "../../errors/gameday-error.js";
import type { DockerFaultSpec } from "../../experiment/docker-fault-schema.js";
import type { DockerTarget } from "../../targets/docker-target-schema.js";
import { takeRandom, wantedCount } from "../blast-radius.js";
import { CONFIG_LABEL, OVERRIDE_ROLE } from "../config/config-owner.js";
import { LABEL, MARKER_ROLE } from "./owner-marker.js";

export const COMPOSE_PROJECT = "com.docker.compose.project";
const COMPOSE_SERVICE = "com.docker.compose.service";

export interface Candidate {
  id: string;
  name: string;
  state: string;
}

export interface Selection {
  /** Every container the selector matches and the target allows: what `plan` shows. */
  candidates: Candidate[];
  /** How many of them a run touches (the mode and ceiling applied). */
  count: number;
}

function describeSelector(s: DockerFaultSpec["select"]): string {
  const parts = [
    s.project && `project=${s.project}`,
    s.service && `service=${s.service}`,
    s.name && `name=${s.name}`,
    ...Object.entries(s.labels ?? {}).map(([k, v]) => `${k}=${v}`),
  ];
  return parts.filter(Boolean).join(", ");
}

/** A container is in the blast radius when its compose project is listed or it carries a listed label. */
export function allowed(target: DockerTarget, labels: Record<string, string>): boolean {
  const project = labels[COMPOSE_PROJECT];
  if (project !== undefined && target.projects.includes(project)) return true;
  return Object.entries(target.labels).some(([k, v]) => labels[k] === v);
}

function howMany(spec: DockerFaultSpec, matched: number, fault: string): number {
  const wanted = wantedCount(spec, matched);
  if (wanted > matched)
    throw new PreflightError(
      `fault "${fault}": mode ${spec.mode} wants ${wanted} containers, only ${matched} match`,
    );
  if (wanted > spec.max)
    throw new PreflightError(
      `fault "${fault}": mode ${spec.mode} would touch ${wanted} containers, above the ceiling max: ${spec.max}`,
    );
  return wanted;
}

/** Resolves the selector against the Engine and the target's allow-list; touches nothing. */
export async function selectContainers(
  docker: Docker,
  target: DockerTarget,
  spec: DockerFaultSpec,
  fault: string,
): Promise<Selection> {
  const s = spec.select;
  const label = [
    ...(s.project ? [`${COMPOSE_PROJECT}=${s.project}`] : []),
    ...(s.service ? [`${COMPOSE_SERVICE}=${s.service}`] : []),
    ...Object.entries(s.labels ?? {}).map(([k, v]) => `${k}=${v}`),
  ];
  const listed = await docker.listContainers({ all: true, filters: label.length ? { label } : {} });
  // A compose mutant's override container is the service now (it carries the service's labels);
  // the original it replaced is parked, stopped, until the mutant is reverted: never select that.
  const parked = new Set(
    listed.filter((c) => c.Labels[LABEL.role] === OVERRIDE_ROLE).map((c) => c.Labels[CONFIG_LABEL.priorId]),
  );
  const matched = listed
    .filter((c) => c.Labels[LABEL.role] !== MARKER_ROLE && !parked.has(c.Id)) // never our own markers
    .filter((c) => s.name === undefined || c.Names.some((n) => n.replace(/^\//, "") === s.name));
  if (matched.length === 0)
    throw new PreflightError(
      `fault "${fault}": no container matches ${describeSelector(s)}; nothing injected`,
    );
  const inScope = matched.filter((c) => allowed(target, c.Labels));
  if (inScope.length === 0)
    throw new PreflightError(
      `fault "${fault}": ${matched.map((c) => c.Names[0]?.replace(/^\//, "")).join(", ")} match ${describeSelector(s)} ` +
        `but none is in the target's docker allow-list (projects: ${target.projects.join(", ") || "none"}; labels: ${
          Object.entries(target.labels)
            .map(([k, v]) => `${k}=${v}`)
            .join(", ") || "none"
        })`,
    );
  const candidates = inScope
    .map((c) => ({ id: c.Id, name: c.Names[0]?.replace(/^\//, "") ?? c.Id.slice(0, 12), state: c.State }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { candidates, count: howMany(spec, candidates.length, fault) };
}

/** A random `count` of the candidates (Fisher-Yates on a copy). */
export function pick(selection: Selection): Candidate[] {
  return takeRandom(selection.candidates, selection.count);
}
