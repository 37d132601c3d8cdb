import type { Command } from "commander";
import { ExitCode } from "../../errors/gameday-error.js";
import { HaltedError } from "../../errors/halted-error.js";
import { expandGameDays, type SuiteMembership, suiteStopped } from "../../experiment/expand-game-days.js";
import { suppliedValues } from "../../experiment/parameter-inputs.js";
import type { HaltSwitch } from "../../interfaces/halt-switch.js";
import type { Reporter } from "../../interfaces/reporter.js";
import type { RunLock } from "../../interfaces/run-lock.js";
import { redisConfigured } from "../../queue/redis-configured.js";
import { ConsoleReporter } from "../../report/console-reporter.js";
import { preloadJunit } from "../../report/junit-reporter.js";
import { bothListeners, RunNotifiers } from "../../report/notify/run-notifiers.js";
import { REPORTERS, ReporterSet } from "../../report/reporter-registry.js";
import { writeRunArtifacts } from "../../report/run-artifacts.js";
import { RunTracing } from "../../report/trace/run-tracing.js";
import { withTrace } from "../../report/trace/trace-reporter.js";
import { runExperiment } from "../../run/experiment-runner.js";
import type { JournalEvent } from "../../run/journal-schema.js";
import type { RunResult } from "../../run/run-result.js";
import { combinedExitCode } from "../../run/verdict.js";
import { haltSwitchFor } from "../../safety/halt-switch-for.js";
import { CLI_OPTIONS } from "../cli-options.js";
import { loadInputs, type ResolvedInput } from "../inputs.js";
import { plannedNotifiers } from "../plan/planned-notifiers.js";
import { plannedTelemetry } from "../plan/planned-telemetry.js";

/** SIGINT/SIGTERM stop the method; rollback always finishes, however often the signal comes. */
function trapSignals(controller: AbortController, log: (s: string) => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      log(`\n${signal} received: stopping the method and rolling back every fault`);
      controller.abort(`signal ${signal}`);
    } else log(`${signal} again: rollback is in progress and will finish first`);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}

/**
 * The method mostly waits on its faults' schedule: the JUnit builder, needed only for junit.xml at
 * the end, is loaded then rather than adding to the run's end.
 */
function preloadingReports(onEvent: ((e: JournalEvent) => void) | undefined): (e: JournalEvent) => void {
  return (e) => {
    onEvent?.(e);
    if (e.type === "phase" && (e.data as { phase?: string }).phase === "method") setImmediate(preloadJunit);
  };
}

/** With Redis configured, CLI runs share the workers' endpoint locks and leases (loaded only then). */
async function sharedLock(stateDir: string, input: ResolvedInput): Promise<{ lock?: RunLock }> {
  if (!redisConfigured()) return {};
  const { queueConfig } = await import("../../queue/queue-config.js");
  const { RedisCliLock } = await import("../../queue/redis-cli-lock.js");
  return { lock: new RedisCliLock(queueConfig({}), stateDir, input.targetName, input.target) };
}

/** `--rehearse`: each experiment checked without injecting; the worst exit code. */
async function rehearseAll(inputs: ResolvedInput[], stateDir: string, halt: HaltSwitch): Promise<number> {
  const { rehearseExperiment } = await import("../../run/rehearse-experiment.js");
  let worst: number = ExitCode.passed;
  try {
    for (const input of inputs) {
      const r = await rehearseExperiment({ ...input, stateDir, halt });
      process.stdout.write(`rehearsal of ${r.name} (${input.file}), nothing injected:\n`);
      for (const line of r.lines) process.stdout.write(`  ${line.ok ? "ok  " : "FAIL"} ${line.text}\n`);
      process.stdout.write(
        `  ${r.exitCode === ExitCode.passed ? "all good" : `not ready (exit ${r.exitCode})`}\n`,
      );
      worst = Math.max(worst, r.exitCode);
    }
  } finally {
    await halt.close();
  }
  return worst;
}

export function registerRunCommand(program: Command): void {
  program
    .command("run")
    .description(
      "run experiments in order and exit with the combined verdict (0 passed, 1 failed, 3 aborted, 4 not run, 5 error)",
    )
    .argument("<files...>", "experiment files")
    .addOption(CLI_OPTIONS.targets())
    .addOption(CLI_OPTIONS.vars())
    .addOption(CLI_OPTIONS.varFile())
    .addOption(CLI_OPTIONS.stateDir())
    .addOption(CLI_OPTIONS.junit())
    .addOption(CLI_OPTIONS.report())
    .addOption(CLI_OPTIONS.json())
    .addOption(CLI_OPTIONS.html())
    .addOption(CLI_OPTIONS.quiet())
    .addOption(CLI_OPTIONS.failFast())
    .addOption(CLI_OPTIONS.rehearse())
    .action(async (files: string[], opts) => {
      // A `kind: GameDay` file stands for its experiments, in order (stopping at the first failure unless continueOnFailure).
      const supplied = suppliedValues({ vars: opts.var, varFile: opts.varFile });
      const planned = await expandGameDays(files);
      const inputs = await loadInputs(planned, opts.targets, supplied);
      // The targets' notifiers, the game days' selections among them, their secrets: all read now (exit 2 before anything runs).
      const notifiers = plannedNotifiers(planned, inputs, opts.targets);
      const telemetry = await plannedTelemetry(opts.targets);
      // `gameday halt` in force: refused before anything is created (each run checks again and watches it).
      const halt = await haltSwitchFor({ stateDir: opts.stateDir });
      const haltedNow = await halt.current();
      if (haltedNow) {
        await halt.close();
        throw new HaltedError(haltedNow, halt.where);
      }
      if (opts.rehearse) {
        process.exitCode = await rehearseAll(inputs, opts.stateDir, halt);
        return;
      }
      // A trace per run when the targets file configures telemetry (the SDK is loaded only then).
      const tracing = await RunTracing.open(telemetry, (line) => process.stderr.write(`${line}\n`));
      const controller = new AbortController();
      const untrap = trapSignals(controller, (s) => process.stderr.write(`${s}\n`));
      const console = new ReporterSet([new ConsoleReporter()]);
      const results: RunResult[] = [];
      try {
        const done: { suite?: SuiteMembership | undefined; exitCode: number }[] = [];
        for (const [i, input] of inputs.entries()) {
          if (controller.signal.aborted) break;
          if (suiteStopped(planned[i] ?? input, done, opts.failFast === true)) continue;
          const notify = new RunNotifiers(notifiers[i] ?? [], (line) => process.stderr.write(`${line}\n`));
          const trace = tracing?.forRun(planned[i]?.suite);
          const result = await runExperiment({
            ...input,
            stateDir: opts.stateDir,
            gameDay: planned[i]?.suite?.name,
            ...(await sharedLock(opts.stateDir, input)),
            signal: controller.signal,
            halt,
            onEvent: preloadingReports(
              withTrace(bothListeners(opts.quiet ? undefined : console.onEvent, notify), trace),
            ),
            onProgress: opts.quiet ? undefined : console.onProgress,
          });
          // The notifiers' and the trace's bounded flushes run while the artifacts are written and the verdict printed.
          const flushing = Promise.all([notify.onRunEnd(result), trace?.onRunEnd(result)]);
          await writeRunArtifacts(result);
          await console.onRunEnd(result);
          await flushing;
          results.push(result);
          done.push({ suite: planned[i]?.suite, exitCode: result.exitCode });
        }
      } finally {
        untrap();
        await tracing?.close();
        await halt.close();
      }
      // Suite-level files: each option names a reporter of REPORTERS and where it writes.
      const outFiles = { junit: opts.junit, markdown: opts.report, json: opts.json, html: opts.html };
      const suite: Reporter[] = [console];
      for (const [name, outFile] of Object.entries(outFiles))
        if (outFile) suite.push(new (REPORTERS[name] as (typeof REPORTERS)[string])({ outFile }));
      await new ReporterSet(suite).onSuiteEnd(results);
      process.exitCode =
        controller.signal.aborted && !results.length ? ExitCode.aborted : combinedExitCode(results);
    });
}
