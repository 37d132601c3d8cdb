import type { Command } from "commander";
import { ExitCode } from "../../errors/gameday-error.js";
import { composeDown, composeStatus, composeUp } from "../../sandbox/docker/compose-stack.js";
import { sandboxDown, sandboxStatus, sandboxUp } from "../../sandbox/sandbox-stack.js";
import { formatSandboxStatus, sandboxProblems } from "../../sandbox/sandbox-status-table.js";
import { CLI_OPTIONS } from "../cli-options.js";
import { DOCKER_OPTIONS } from "../docker-options.js";

/** The compose stack's options, when --runtime docker. */
const dockerOpts = (o: Record<string, unknown>) => ({
  project: o.project as string,
  portOffset: o.portOffset as number | undefined,
  registryImages: Boolean(o.registryImages),
});

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
    .addOption(DOCKER_OPTIONS.runtime())
    .addOption(DOCKER_OPTIONS.project())
    .addOption(DOCKER_OPTIONS.portOffset())
    .addOption(DOCKER_OPTIONS.registryImages())
    .action(async (opts) => {
      if (opts.runtime === "docker") {
        const endpoints = await composeUp({ ...dockerOpts(opts), breaks: opts.break ?? [], log });
        process.stdout.write(`${JSON.stringify(endpoints, null, 2)}\n`);
        return;
      }
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
    .addOption(DOCKER_OPTIONS.runtime())
    .addOption(DOCKER_OPTIONS.project())
    .action(async (opts) => {
      if (opts.runtime === "docker") return composeDown({ ...dockerOpts(opts), log });
      await sandboxDown({ stateDir: `${opts.stateDir}/sandbox`, log });
    });
  sandbox
    .command("status")
    .description(
      "each component, its pid, health and endpoint, as a table; exit 1 when the stack is not healthy",
    )
    .addOption(CLI_OPTIONS.stateDir())
    .addOption(DOCKER_OPTIONS.runtime())
    .addOption(DOCKER_OPTIONS.project())
    .option("--json", "print the full status as JSON (same exit code)")
    .action(async (opts) => {
      if (opts.runtime === "docker") {
        process.stdout.write(await composeStatus(dockerOpts(opts)));
        return;
      }
      const status = await sandboxStatus({ stateDir: `${opts.stateDir}/sandbox` });
      process.stdout.write(opts.json ? `${JSON.stringify(status, null, 2)}\n` : formatSandboxStatus(status));
      process.exitCode = sandboxProblems(status).length ? ExitCode.failed : ExitCode.passed;
    });
}
