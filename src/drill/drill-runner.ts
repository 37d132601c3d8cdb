import { randomInt } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ExitCode, type ExitCodeValue } from "../errors/gameday-error.js";
import { InjectorRegistry } from "../faults/injector-registry.js";
import type { HaltSwitch } from "../interfaces/halt-switch.js";
import { LoadGenerator } from "../load/load-generator.js";
import { createProbe } from "../probes/probe-factory.js";
import { PrometheusClient } from "../probes/prometheus-client.js";
import { redact } from "../redact/redact.js";
import { runExperiment } from "../run/experiment-runner.js";
import { sleepUntil } from "../run/run-context.js";
import type { RunResult } from "../run/run-result.js";
import type { Target } from "../targets/targets-schema.js";
import { AlertWatcher } from "./alert-watcher.js";
import { DrillFaults } from "./drill-faults.js";
import type { LoadedDrill } from "./drill-loader.js";
import { PanelSampler, standardPanels } from "./drill-panels.js";
import { planDrill, seededRandom } from "./drill-plan.js";
import { writeDrillReports } from "./drill-report.js";
import { publicResults } from "./drill-results.js";
import { type DrillScore, scoreDrill } from "./drill-scoring.js";
import { DrillSession } from "./drill-session.js";
import { DrillFolder, DrillTimeline, newDrillId, newToken } from "./drill-state.js";
import { type ServedApi, serveResponderApi } from "./responder-api.js";

export interface DrillStartOptions {
  loaded: LoadedDrill;
  targetName: string;
  target: Target;
  stateDir: string;
  responders: string[];
  seed?: number | undefined;
  timeLimitMs?: number | undefined;
  window?: { fromMs: number; toMs: number } | undefined;
  port?: number | undefined;
  /** The process sandbox's state folder: restart-service and the log search use it when it exists. */
  sandboxDir?: string | undefined;
  signal?: AbortSignal | undefined;
  /** `gameday halt`: a halt in force refuses the drill's run (exit 4); one set later ends it with the rollback. */
  halt?: HaltSwitch | undefined;
  log?: (line: string) => void;
  /** Called once the responder API listens and the state folder names it. */
  onReady?: (info: { id: string; url: string; dir: string }) => void;
  /**
   * Keep the responder API (and so the drill view) up after the end, showing the results; the
   * caller closes it (DrillOutcome.view). Acting is refused after the end either way.
   */
  keepView?: boolean | undefined;
}

export interface DrillOutcome {
  id: string;
  dir: string;
  exitCode: ExitCodeValue;
  reason: string;
  score: DrillScore;
  run?: RunResult | undefined;
  reports: { markdown: string; html: string };
  /** With keepView: the responder API still serving the ended drill's view. */
  view?: ServedApi | undefined;
}

/**
 * One incident drill: load and a hidden scenario run as an ordinary experiment through the run
 * lifecycle (journal first, verified revert, rollback in a finally), while responders act over
 * the loopback API. Ends by everyone's answer, the time limit, `drill stop` or a signal; the
 * rollback is the run's own. Then scores and reports.
 */
export async function runDrill(opts: DrillStartOptions): Promise<DrillOutcome> {
  const log = opts.log ?? (() => {});
  const { drill } = opts.loaded;
  const seed = opts.seed ?? randomInt(2 ** 31);
  const plan = planDrill(drill, {
    random: seededRandom(seed),
    timeLimitMs: opts.timeLimitMs,
    window: opts.window,
  });
  const id = newDrillId();
  const folder = new DrillFolder(opts.stateDir, id);
  folder.create();
  const tokens = {
    organizer: newToken(),
    responders: Object.fromEntries(opts.responders.map((r) => [r, newToken()])),
  };
  folder.writeTokens(tokens);
  const timeline = new DrillTimeline(folder.path("timeline.jsonl"));
  const faults = new DrillFaults();
  const injectors = faults.wrap(await InjectorRegistry.forTarget(opts.target));
  const load = new LoadGenerator(drill.spec.load, plan.timeLimitMs + 180_000);
  const prometheus = PrometheusClient.forTarget(opts.target);
  const sandboxDir =
    opts.sandboxDir && existsSync(join(opts.sandboxDir, "state.json")) ? resolve(opts.sandboxDir) : undefined;
  const session = new DrillSession({
    id,
    drill,
    plan,
    timeline,
    tokens,
    faults,
    load,
    alerts: new AlertWatcher(prometheus),
    panels: new PanelSampler(drill.spec.panels ?? standardPanels(), prometheus),
    slo: drill.spec.steadyState.map((check) => ({
      check,
      probe: createProbe(check, { target: opts.target, load: load.stats, prometheus }),
    })),
    sandboxDir,
    logDir: sandboxDir ? join(sandboxDir, "logs") : undefined,
    onInternalError: (err) => log(`drill: a mitigation failed: ${err.message}`),
  });
  faults.onInjected = (fault, description) =>
    timeline.add({ type: "fault.injected", hidden: true, fault, description });
  const api = await serveResponderApi(session, opts.port ?? 0);
  folder.writeInfo({
    id,
    drill: drill.metadata.name,
    pid: process.pid,
    url: api.url,
    startedAt: Date.now(),
    status: "running",
  });
  timeline.add({
    type: "started",
    drill: drill.metadata.name,
    file: opts.loaded.file,
    responders: opts.responders,
    timeLimitMs: plan.timeLimitMs,
    window: plan.window,
  });
  opts.onReady?.({ id, url: api.url, dir: folder.dir });
  log(`drill ${id}: responders ${opts.responders.join(", ")}; API ${api.url}; seed ${seed}`);

  const stop = new AbortController();
  session.onEnd(() => stop.abort("drill ended"));
  const onSignal = () => session.end("signal", String(opts.signal?.reason ?? "aborted"));
  opts.signal?.addEventListener("abort", onSignal, { once: true });
  let runDone = false;
  const runPromise = runExperiment({
    file: opts.loaded.file,
    experiment: plan.experiment,
    targetName: opts.targetName,
    target: opts.target,
    stateDir: opts.stateDir,
    signal: stop.signal,
    injectors,
    load,
    runName: plan.experiment.metadata.name,
    drill: id,
    halt: opts.halt,
    onEvent: (e) => {
      if (e.type === "phase" && e.data.phase === "method" && session.clockStart === undefined) {
        session.clockStart = e.t;
        timeline.add({ type: "clock.started", runId: e.runId }, e.t);
        log(
          `drill ${id}: the load is steady; the clock runs (time limit ${Math.round(plan.timeLimitMs / 1000)} s)`,
        );
      }
      // A fault a mitigation already reverted is only verified again by the rollback: one event.
      const fault = e.data.fault;
      if (
        e.type === "fault.reverted" &&
        typeof fault === "string" &&
        !timeline.of("fault.reverted").some((r) => r.fault === fault)
      )
        timeline.add({ type: "fault.reverted", hidden: true, fault, by: "rollback" });
    },
  })
    .then((run) => {
      // The run ended by itself (a halt, a fault changed by someone else, an error): the drill ends
      // with it, since it has no faults and no load left to play against.
      if (!session.ended && session.clockStart !== undefined)
        session.end("error", `the drill's run ended early (exit ${run.exitCode}): ${run.reason}`);
      return run;
    })
    .finally(() => {
      runDone = true;
    });

  // The drill's own clock: a tick per sample interval until it ends.
  const interval = drill.spec.sampleInterval;
  for (let next = Date.now() + interval; !session.ended; next += interval) {
    await sleepUntil(next, stop.signal);
    if (session.ended) break;
    if (runDone && session.clockStart === undefined) {
      session.end("error", "the run ended before the drill's clock started (see its journal)");
      break;
    }
    await session.tick(Date.now()).catch((err: Error) => log(`drill: tick failed: ${err.message}`));
  }
  log(`drill ${id}: ended (${session.ended?.reason}): rolling back`);
  let run: Awaited<typeof runPromise>;
  try {
    run = await runPromise;
  } catch (err) {
    // The run threw (its own rollback already ran): the responder API must not keep the process up.
    await api.close();
    folder.writeInfo({ ...folder.readInfo(), status: "ended" });
    throw err;
  } finally {
    opts.signal?.removeEventListener("abort", onSignal);
  }
  const verified = run.remaining.length === 0;
  const ended = session.ended ?? { reason: "error" as const, detail: "unknown" };
  timeline.add({
    type: "ended",
    reason: ended.reason,
    detail: ended.detail,
    rollback: { verified, remaining: run.remaining },
    runId: run.runId,
    verdict: run.verdict,
  });
  const score = scoreDrill(timeline.events, drill.spec.answer, opts.responders);
  session.results = publicResults(score, drill.spec.answer);
  if (!opts.keepView) await api.close();
  const info = folder.readInfo();
  folder.writeInfo({ ...info, status: "ended" });
  const exitCode: ExitCodeValue = !verified
    ? ExitCode.error
    : session.clockStart === undefined
      ? run.exitCode === ExitCode.passed || run.exitCode === ExitCode.aborted
        ? ExitCode.notRun
        : run.exitCode
      : ended.reason === "signal"
        ? ExitCode.aborted
        : // A run that ended early on its own (error, failed, halted) is the drill's verdict too.
          run.exitCode === ExitCode.passed || (run.exitCode === ExitCode.aborted && ended.reason !== "error")
          ? ExitCode.passed
          : run.exitCode;
  const reason = !verified
    ? `the rollback could not be verified; what may remain: ${run.remaining.join("; ")}`
    : session.clockStart === undefined
      ? `the drill never started: ${run.reason}`
      : `the drill ended (${ended.reason}: ${ended.detail}); every fault was reverted and verified`;
  const panels = session.deps.panels.series;
  const reports = writeDrillReports({
    folder,
    drill,
    plan,
    events: timeline.events,
    score,
    run,
    seed,
    reason,
    panels,
  });
  writeFileSync(
    folder.path("result.json"),
    `${redact(JSON.stringify({ id, exitCode, reason, seed, score }, null, 2))}\n`,
  );
  return {
    id,
    dir: folder.dir,
    exitCode,
    reason,
    score,
    run,
    reports,
    ...(opts.keepView ? { view: api } : {}),
  };
}
