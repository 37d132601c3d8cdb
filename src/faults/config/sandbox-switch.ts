import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { DEFAULT_TOXIPROXY_PORT } from "../../../sandbox-services/lib/topology.js";
import { RollbackError } from "../../errors/gameday-error.js";
import { resolveLayout } from "../../sandbox/sandbox-layout.js";
import { readState } from "../../sandbox/sandbox-state.js";
import { sandboxUp } from "../../sandbox/sandbox-up.js";
import type { Target } from "../../targets/targets-schema.js";
import { discoverSandbox } from "./sandbox-discovery.js";

/**
 * The owner tag of a switched process sandbox lives in its own state dir (the instance every
 * service reports on /health): one marker file per applied switch, written before the restart,
 * holding the switches to restore. `gameday recover` finds it through the services' /health.
 */
export const switchMarkerSchema = z.strictObject({
  ownerTag: z.string(),
  runId: z.string(),
  change: z.string(),
  stateDir: z.string(),
  prior: z.array(z.string()),
  applied: z.array(z.string()),
  at: z.string(),
});
export type SwitchMarker = z.infer<typeof switchMarkerSchema>;

const markerDir = (stateDir: string) => join(stateDir, "mutants");
const markerPath = (stateDir: string, ownerTag: string) => join(markerDir(stateDir), `${ownerTag}.json`);
const same = (a: readonly string[], b: readonly string[]) =>
  [...a].sort().join(",") === [...b].sort().join(",");

function writeMarker(m: SwitchMarker): void {
  mkdirSync(markerDir(m.stateDir), { recursive: true });
  const fd = openSync(markerPath(m.stateDir, m.ownerTag), "w");
  try {
    writeSync(fd, `${JSON.stringify(m, null, 2)}\n`);
    fsyncSync(fd); // the tag must exist before the first service restarts
  } finally {
    closeSync(fd);
  }
}

export function listSwitchMarkers(stateDir: string): SwitchMarker[] {
  const dir = markerDir(stateDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .flatMap((f) => {
      try {
        return [switchMarkerSchema.parse(JSON.parse(readFileSync(join(dir, f), "utf8")))];
      } catch {
        return []; // a torn marker from a crash mid-write: nothing was restarted yet
      }
    });
}

/** The process sandbox, restarted by its own launcher: ports from its state file, the same state dir. */
async function restartWith(stateDir: string, breaks: string[]): Promise<void> {
  const layout = resolveLayout({ stateDir });
  const state = readState(layout);
  if (!state) throw new Error(`no sandbox state in ${stateDir}`);
  await sandboxUp({ stateDir, portOffset: state.ports.toxiproxy - DEFAULT_TOXIPROXY_PORT, breaks });
}

/** Every service of the target answers with exactly these switches; otherwise what differs. */
async function differences(target: Target, wanted: string[]): Promise<string[]> {
  const found = await discoverSandbox(target);
  if (!found) return ["no sandbox service answers /health"];
  return Object.entries(found.services)
    .filter(([, s]) => !same(s.breaks, wanted))
    .map(([name, s]) => `${name} runs with switches [${s.breaks.join(",")}], expected [${wanted.join(",")}]`);
}

export interface AppliedSwitch {
  marker: SwitchMarker;
  revert(): Promise<void>;
  verifyReverted(): Promise<void>;
}

export async function revertSwitch(target: Target, marker: SwitchMarker): Promise<void> {
  const now = await discoverSandbox(target);
  // Another switch still applied on this sandbox keeps its own part (they nest like faults).
  const others = listSwitchMarkers(marker.stateDir).filter((m) => m.ownerTag !== marker.ownerTag);
  const keep = [...new Set([...marker.prior, ...others.map((m) => m.change)])];
  if (now) await restartWith(marker.stateDir, keep);
  const diff = now ? await differences(target, keep) : [];
  if (diff.length)
    throw new RollbackError(`switch ${marker.change} (${marker.ownerTag}) not reverted: ${diff.join("; ")}`);
  rmSync(markerPath(marker.stateDir, marker.ownerTag), { force: true });
}

/** Restarts the process sandbox with one more SANDBOX_BREAK switch and verifies every service runs with it. */
export async function applySwitch(
  target: Target,
  stateDir: string,
  prior: string[],
  change: { name: string; break: string; ownerTag: string; runId: string },
): Promise<AppliedSwitch> {
  const applied = [...new Set([...prior, change.break])];
  const marker: SwitchMarker = {
    ownerTag: change.ownerTag,
    runId: change.runId,
    change: change.break,
    stateDir,
    prior,
    applied,
    at: new Date().toISOString(),
  };
  writeMarker(marker);
  const handle: AppliedSwitch = {
    marker,
    revert: () => revertSwitch(target, marker),
    verifyReverted: async () => {
      if (existsSync(markerPath(stateDir, marker.ownerTag)))
        throw new RollbackError(`switch ${change.break} still marked applied in ${stateDir}`);
      const diff = await differences(target, prior);
      if (diff.length) throw new RollbackError(`switch ${change.break} still applied: ${diff.join("; ")}`);
    },
  };
  await restartWith(stateDir, applied);
  const diff = await differences(target, applied);
  if (diff.length)
    throw new Error(`switch ${change.break} could not be verified applied: ${diff.join("; ")}`);
  return handle;
}
