import type { Command } from "commander";
import pc from "picocolors";
import { formatDuration } from "../../experiment/duration.js";
import { expandGameDays } from "../../experiment/expand-game-days.js";
import { InjectorRegistry } from "../../faults/injector-registry.js";
import { plannedDuration } from "../../run/planned-duration.js";
import { CLI_OPTIONS } from "../cli-options.js";
import { loadInputs } from "../inputs.js";

/** What a run would touch and when, resolved against the live target, touching nothing. */
export function registerPlanCommand(program: Command): void {
  program
    .command("plan")
    .description("show the resolved targets and the schedule of an experiment without touching anything")
    .argument("<files...>", "experiment files")
    .addOption(CLI_OPTIONS.targets())
    .action(async (files: string[], opts) => {
      const expanded = (await expandGameDays(files)).map((p) => p.file);
      for (const input of await loadInputs(expanded, opts.targets)) {
        const { spec, metadata } = input.experiment;
        const out = (s: string) => process.stdout.write(`${s}\n`);
        out(pc.bold(`${metadata.name} (${input.file}) on target ${input.targetName}`));
        out(
          `  planned duration ≤ ${formatDuration(plannedDuration(input.experiment))}, sampling every ${formatDuration(spec.sampleInterval)}`,
        );
        if (spec.load)
          out(
            `  load: ${spec.load.method} ${spec.load.url} at ${spec.load.rate}/s, timeout ${formatDuration(spec.load.timeout)}`,
          );
        for (const s of spec.steadyState) out(`  steady state: ${s.name} (over ${formatDuration(s.over)})`);
        const injectors = await InjectorRegistry.forTarget(input.target);
        for (const fault of spec.faults) {
          const plan = await injectors.for(fault).plan(fault);
          out(
            `  fault ${pc.magenta(fault.name)} at +${formatDuration(fault.at)} for ${formatDuration(fault.for)}: ${plan.action}`,
          );
          for (const t of plan.targets) out(`    touches ${t}`);
        }
        for (const e of spec.expect) out(`  expect: ${e.name}${e.during ? ` (during ${e.during})` : ""}`);
        for (const a of spec.abortWhen) out(`  abort when: ${a.name ?? a.source ?? a.promql ?? "condition"}`);
        out(`  recovery within ${formatDuration(spec.recovery.within)}`);
      }
    });
}
