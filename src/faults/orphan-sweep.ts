import type { FaultInjector, OrphanFault } from "../interfaces/injector.js";
import type { Target } from "../targets/targets-schema.js";
import { InjectorRegistry } from "./injector-registry.js";
import { parseOwnerTag } from "./owner-tag.js";
import { errorText } from "./revert-error.js";

/** One injector of one named target environment, as the allow-list of that target built it. */
export interface SweepSource {
  target: string;
  injector: FaultInjector;
}

/** Every injector family a target allows, as sources of one sweep (recover and the janitor alike). */
export async function sweepSourcesOf(name: string, target: Target): Promise<SweepSource[]> {
  return (await InjectorRegistry.forTarget(target)).all().map((injector) => ({ target: name, injector }));
}

export interface SweepOptions {
  /** This installation's id: faults tagged with another are listed, never touched. */
  installation: string;
  /** Only these runs (rollback: its own; janitor: a dead lease's); every run when undefined (recover). */
  runIds?: readonly string[] | undefined;
  /** Runs that are alive right now (a held lock or a live lease), with who holds them. */
  live?: ReadonlyMap<string, string> | undefined;
  /** Also revert the faults of live runs. */
  force?: boolean | undefined;
  /** List what would be reverted; touch nothing. */
  dryRun?: boolean | undefined;
  /** Owner tags already accounted for elsewhere (a revert that failed in rollback): left alone. */
  skipTags?: ReadonlySet<string> | undefined;
}

export type SweepOutcome = "reverted" | "would-revert" | "live" | "foreign" | "failed";

export interface SweepEntry {
  target: string;
  family: string;
  orphan: OrphanFault;
  outcome: SweepOutcome;
  /** Why it was skipped, or what the failed revert said. */
  detail?: string | undefined;
}

export interface SweepReport {
  entries: SweepEntry[];
  /** Sources whose faults could not even be listed: nothing is known about them. */
  unlisted: { target: string; family: string; error: string }[];
}

/** Faults of other installations are theirs; a tag without one predates installation ids and is ours to recover. */
export function ownedByUs(orphan: OrphanFault, installation: string): boolean {
  // The tag itself says whose it is, so a family that does not copy the installation out is covered too.
  const theirs = orphan.installation ?? parseOwnerTag(orphan.ownerTag)?.installation;
  return theirs === undefined || theirs === installation;
}

async function listFrom(source: SweepSource, runIds: readonly string[] | undefined): Promise<OrphanFault[]> {
  if (runIds === undefined) return source.injector.findOrphans();
  const found: OrphanFault[] = [];
  for (const runId of runIds) found.push(...(await source.injector.findOrphans(runId)));
  return found;
}

function decide(orphan: OrphanFault, opts: SweepOptions): Pick<SweepEntry, "outcome" | "detail"> | undefined {
  if (!ownedByUs(orphan, opts.installation))
    return {
      outcome: "foreign",
      detail: `owned by installation ${orphan.installation}, not ${opts.installation}`,
    };
  const holder = opts.live?.get(orphan.runId);
  if (holder !== undefined && !opts.force)
    return { outcome: "live", detail: `run ${orphan.runId} is live (${holder}); --force reverts it anyway` };
  return undefined;
}

/**
 * The one orphan sweep, used by rollback, `gameday recover` and the lease janitor: list what carries
 * our owner tags in each allow-listed target, skip other installations' faults and live runs, and
 * revert (and verify) the rest. A failure of one source or one fault never stops the others.
 */
export async function sweepOrphans(
  sources: readonly SweepSource[],
  opts: SweepOptions,
): Promise<SweepReport> {
  const report: SweepReport = { entries: [], unlisted: [] };
  for (const source of sources) {
    const family = source.injector.family;
    let orphans: OrphanFault[];
    try {
      orphans = await listFrom(source, opts.runIds);
    } catch (err) {
      report.unlisted.push({ target: source.target, family, error: errorText(err) });
      continue;
    }
    for (const orphan of orphans) {
      if (opts.skipTags?.has(orphan.ownerTag)) continue;
      const entry = { target: source.target, family: orphan.family, orphan };
      const skipped = decide(orphan, opts);
      if (skipped) {
        report.entries.push({ ...entry, ...skipped });
        continue;
      }
      if (opts.dryRun) {
        report.entries.push({ ...entry, outcome: "would-revert" });
        continue;
      }
      try {
        await source.injector.revertOrphan(orphan);
        report.entries.push({ ...entry, outcome: "reverted" });
      } catch (err) {
        report.entries.push({ ...entry, outcome: "failed", detail: errorText(err) });
      }
    }
  }
  return report;
}

/** Counts by outcome, for summaries. */
export function countOutcomes(report: SweepReport): Record<SweepOutcome, number> {
  const counts: Record<SweepOutcome, number> = {
    reverted: 0,
    "would-revert": 0,
    live: 0,
    foreign: 0,
    failed: 0,
  };
  for (const e of report.entries) counts[e.outcome]++;
  return counts;
}
