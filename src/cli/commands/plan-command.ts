import type { Command } from "commander";
import pc from "picocolors";
import { ExitCode } from "../../errors/gameday-error.js";
import { formatDuration } from "../../experiment/duration.js";
import { expandGameDays } from "../../experiment/expand-game-days.js";
import { suppliedValues } from "../../experiment/parameter-inputs.js";
import { InjectorRegistry } from "../../faults/injector-registry.js";
import type { HaltSwitch } from "../../interfaces/halt-switch.js";
import type { ResolvedNotifier } from "../../interfaces/notifier.js";
import type { ResolvedTelemetry } from "../../interfaces/trace-sink.js";
import { parametersText } from "../../report/parameters-text.js";
import { plannedDuration } from "../../run/planned-duration.js";
import { haltSwitchFor } from "../../safety/halt-switch-for.js";
import { describeTelemetry } from "../../targets/telemetry-credentials.js";
import { CLI_OPTIONS } from "../cli-options.js";
import { loadInputs, type ResolvedInput } from "../inputs.js";
import { describeAssertion, describeExpectation } from "../plan/describe-expectation.js";
import { collectPreflight } from "../plan/plan-preflight.js";
import { planSafety } from "../plan/plan-safety.js";
import { plannedNotifiers } from "../plan/planned-notifiers.js";
import { plannedTelemetry } from "../plan/planned-telemetry.js";

const out = (s: string) => process.stdout.write(`${s}\n`);

/** Prints one experiment's plan; returns how many preflight problems it has. */
async function printPlan(
  input: ResolvedInput,
  notifiers: readonly ResolvedNotifier[],
  telemetry: ResolvedTelemetry | undefined,
  halt: HaltSwitch,
): Promise<number> {
  const { spec, metadata } = input.experiment;
  out(pc.bold(`${input.runName ?? metadata.name} (${input.file}) on target ${input.targetName}`));
  const parameters = parametersText(input.parameters);
  if (parameters) out(`  parameters: ${parameters}`);
  out(
    `  planned duration ≤ ${formatDuration(plannedDuration(input.experiment))}, sampling every ${formatDuration(spec.sampleInterval)}`,
  );
  if (spec.load)
    out(
      `  load: ${spec.load.method} ${spec.load.url} at ${spec.load.rate}/s, timeout ${formatDuration(spec.load.timeout)}`,
    );
  for (const s of spec.steadyState)
    out(`  steady state: ${s.name}: ${describeAssertion(s)} over ${formatDuration(s.over)}`);
  const report = await collectPreflight(input, await InjectorRegistry.forTarget(input.target));
  const safety = await planSafety(input, halt);
  report.problems.unshift(...safety.problems);
  for (const line of safety.lines) out(`  safety: ${line}`);
  for (const { fault, plan } of report.faults) {
    const head = `  fault ${pc.magenta(fault.name)} at +${formatDuration(fault.at)} for ${formatDuration(fault.for)}`;
    if (!plan) {
      out(`${head}: ${pc.red("cannot be planned")}`);
      continue;
    }
    out(`${head}: ${plan.action}`);
    for (const t of plan.targets) out(`    touches ${t}`);
  }
  for (const e of spec.expect) out(`  expect: ${describeExpectation(e, input.experiment)}`);
  // Names and formats only: a receiver's URL may carry its token.
  if (notifiers.length) out(`  notify: ${notifiers.map((n) => `${n.name} (${n.format})`).join(", ")}`);
  if (telemetry) out(`  trace: ${describeTelemetry(telemetry)}`);
  for (const a of spec.abortWhen)
    out(`  abort when: ${a.name ? `${a.name}: ` : ""}${describeAssertion(a)} for ${formatDuration(a.for)}`);
  out(`  recovery: steady state again within ${formatDuration(spec.recovery.within)} after rollback`);
  if (report.problems.length) {
    out(
      pc.red(
        `  preflight would fail (${report.problems.length} problem${report.problems.length > 1 ? "s" : ""}):`,
      ),
    );
    for (const p of report.problems) out(`    ✗ ${p}`);
  } else out(pc.green("  preflight: ok"));
  return report.problems.length;
}

/** What a run would touch and when, resolved against the live target, touching nothing. */
export function registerPlanCommand(program: Command): void {
  program
    .command("plan")
    .description(
      "show the resolved targets, the schedule and every expectation's window without touching anything; exit 4 listing every preflight problem",
    )
    .argument("<files...>", "experiment or game day files")
    .addOption(CLI_OPTIONS.targets())
    .addOption(CLI_OPTIONS.vars())
    .addOption(CLI_OPTIONS.varFile())
    .addOption(CLI_OPTIONS.stateDir())
    .action(async (files: string[], opts) => {
      const supplied = suppliedValues({ vars: opts.var, varFile: opts.varFile });
      const expanded = await expandGameDays(files);
      const inputs = await loadInputs(expanded, opts.targets, supplied);
      // As `gameday run` decides them: an unknown name or an unreadable secret is exit 2 here too.
      const notifiers = plannedNotifiers(expanded, inputs, opts.targets);
      const telemetry = await plannedTelemetry(opts.targets);
      // The halt switch a run would read (the state folder, and Redis when configured).
      const halt = await haltSwitchFor({ stateDir: opts.stateDir });
      let problems = 0;
      try {
        for (const [i, input] of inputs.entries())
          problems += await printPlan(input, notifiers[i] ?? [], telemetry, halt);
      } finally {
        await halt.close();
      }
      process.exitCode = problems ? ExitCode.notRun : ExitCode.passed;
    });
}
