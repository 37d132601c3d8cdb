import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { equivalentFiles } from "./peer-validate.js";
import { chaosArgs, runChaos } from "./support/chaostoolkit.js";
import { gameday, shown } from "./support/cli.js";
import { assertClean, type BenchContext } from "./support/context.js";
import type { Section } from "./support/report.js";
import { median } from "./support/stats.js";

const HOLD_MS = 2000;
const GAMEDAY_BASELINE_MS = 100;

/**
 * Section 6c: the whole tool around one toxic held for 2 s, `chaos run` (pauses.after: 2) vs
 * `gameday run` (at 0s, for 2s): wall time minus what each file declares, runs interleaved.
 */
export async function benchPeerRun(ctx: BenchContext): Promise<Section> {
  const runs = ctx.quick ? 2 : 5;
  const section: Section = {
    id: "6c",
    title: `Peer: chaos run vs gameday run overhead, one latency toxic held ${HOLD_MS} ms, median of ${runs}`,
    commands: [],
    metrics: [],
    notes: [],
  };
  if ("unavailable" in ctx.peer) {
    section.error = `peer unavailable: ${ctx.peer.unavailable}`;
    return section;
  }
  const files = equivalentFiles(ctx);
  const chaosOver: number[] = [];
  const oursOver: number[] = [];
  const problems: string[] = [];
  for (let i = 0; i < runs; i++) {
    ctx.log(`peer run: ${i + 1}/${runs}`);
    const journal = join(ctx.ws.stateDir("ctk"), "journal.json");
    const chaosCmd = ["run", files.chaos, "--journal-path", journal];
    section.commands[0] = shown(ctx.peer.chaos, chaosArgs(files.settings, chaosCmd));
    const c = await runChaos(ctx.peer.chaos, files.settings, chaosCmd, {
      cwd: ctx.ws.dir,
      timeoutMs: 60_000,
    });
    await assertClean(ctx, `chaos run ${i + 1}`);
    // Completed, and its rollback (the toxic's removal) succeeded: otherwise the time means nothing.
    const j = existsSync(journal)
      ? (JSON.parse(readFileSync(journal, "utf8")) as { status?: string; rollbacks?: { status?: string }[] })
      : undefined;
    const status = j ? `${j.status}, rollback ${j.rollbacks?.[0]?.status ?? "missing"}` : "no journal";
    if (c.code === 0 && status === "completed, rollback succeeded") chaosOver.push(c.wallMs - HOLD_MS);
    else
      problems.push(
        `chaos run exited ${c.code}, journal status ${status}: ${(c.stderr + c.stdout).trim().slice(-300)}`,
      );

    const state = ctx.ws.stateDir("peer-run");
    const ours = ["run", files.gameday, "--targets", ctx.ws.targets, "--state-dir", state];
    section.commands[1] = shown("node", ["dist/src/cli/main.js", ...ours]);
    const g = await gameday(ours, { timeoutMs: 60_000 });
    await assertClean(ctx, `gameday run ${i + 1}`);
    if (g.code === 0) oursOver.push(g.wallMs - HOLD_MS - GAMEDAY_BASELINE_MS);
    else problems.push(`gameday run exited ${g.code}: ${g.stderr.trim().slice(-300)}`);
  }
  section.metrics = [
    { name: "chaos run: wall - 2 s pause", value: median(chaosOver), unit: "ms" },
    {
      name: `gameday run: wall - (${GAMEDAY_BASELINE_MS} ms baseline + 2 s fault)`,
      value: median(oursOver),
      unit: "ms",
    },
    {
      name: "ratio chaos / gameday overhead",
      value: median(chaosOver) / median(oursOver),
      unit: "x",
      above: 1,
    },
  ];
  section.notes = [
    "both: whole process (interpreter start, imports, validation, one create + one delete of the same latency toxic on the same Toxiproxy, journal written)",
    "chaos run: validation, method (create, pause 2 s), rollbacks (delete, not verified), journal.json",
    "gameday run: validation, preflight (proxy read, lock), one sampleInterval of baseline, inject, revert + verify + orphan sweep, one sampleInterval of recovery, fsynced journal, run.json, JUnit and Markdown reports",
    `per run (ms) chaos: ${chaosOver.map((v) => v.toFixed(0)).join(", ")}; gameday: ${oursOver.map((v) => v.toFixed(0)).join(", ")}`,
    ...problems,
  ];
  section.raw = { runs, chaosOverheadMs: chaosOver, gamedayOverheadMs: oursOver, problems };
  return section;
}
