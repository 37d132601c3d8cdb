import type { Command } from "commander";
import pc from "picocolors";
import { ExitCode, formatIssue } from "../../errors/gameday-error.js";
import { suppliedValues } from "../../experiment/parameter-inputs.js";
import { validateFiles } from "../../experiment/validate-files.js";
import { CLI_OPTIONS } from "../cli-options.js";

export function registerValidateCommand(program: Command): void {
  program
    .command("validate")
    .description(
      "check experiment, game day and targets files, each by its own schema; exit 2 when any is invalid",
    )
    .argument("<files...>", "Experiment, GameDay or Targets files")
    .addOption(CLI_OPTIONS.targets())
    .addOption(CLI_OPTIONS.vars())
    .addOption(CLI_OPTIONS.varFile())
    .action(async (files: string[], opts) => {
      const results = await validateFiles(files, {
        targetsFile: opts.targets,
        anyKind: true,
        references: true,
        supplied: suppliedValues({ vars: opts.var, varFile: opts.varFile }),
      });
      for (const r of results) {
        if (r.ok)
          process.stdout.write(
            `${pc.green("✓")} ${r.file}\n${(r.notes ?? []).map((n) => `  ${n}\n`).join("")}`,
          );
        else for (const i of r.issues) process.stderr.write(`${pc.red("✗")} ${formatIssue(i)}\n`);
        for (const w of r.warnings) process.stderr.write(`${pc.yellow("⚠ warning:")} ${formatIssue(w)}\n`);
      }
      const bad = results.filter((r) => !r.ok).length;
      const warned = results.reduce((n, r) => n + r.warnings.length, 0);
      process.stdout.write(
        `${results.length - bad} valid, ${bad} invalid${warned ? `, ${warned} warning${warned > 1 ? "s" : ""}` : ""}\n`,
      );
      process.exitCode = bad ? ExitCode.invalid : ExitCode.passed;
    });
}
