import type { Command } from "commander";
import { sandboxDown, sandboxStatus, sandboxUp } from "../../sandbox/sandbox-stack.js";
import { CLI_OPTIONS } from "../cli-options.js";

export function registerSandboxCommand(program: Command): void {
  const sandbox = program
    .command("sandbox")
    .description(
      "the local sandbox stack: gateway -> orders -> payments -> risk behind Toxiproxy, with Prometheus",
    );
  const log = (line: string) => process.stderr.write(`${line}\n`);
  sandbox
    .command("up")
    .description("start the stack detached (idempotent) and print its endpoints")
    .addOption(CLI_OPTIONS.stateDir())
    .addOption(CLI_OPTIONS.breaks())
    .action(async (opts) => {
      const endpoints = await sandboxUp({
        stateDir: `${opts.stateDir}/sandbox`,
        breaks: opts.break ?? [],
        log,
      });
      process.stdout.write(`${JSON.stringify(endpoints, null, 2)}\n`);
    });
  sandbox
    .command("down")
    .description("stop every process of the stack and verify it is gone")
    .addOption(CLI_OPTIONS.stateDir())
    .action(async (opts) => {
      await sandboxDown({ stateDir: `${opts.stateDir}/sandbox`, log });
    });
  sandbox
    .command("status")
    .description("each component, its pid, health and endpoint")
    .addOption(CLI_OPTIONS.stateDir())
    .action(async (opts) => {
      process.stdout.write(
        `${JSON.stringify(await sandboxStatus({ stateDir: `${opts.stateDir}/sandbox` }), null, 2)}\n`,
      );
    });
}
