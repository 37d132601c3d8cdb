import type { Command } from "commander";
import { ExitCode } from "../../errors/gameday-error.js";
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

/** The pods' options, when --runtime kubernetes. */
// The Compose and Kubernetes runtimes load dockerode and the Kubernetes client (over a second of
// start-up): only when that runtime is asked for.
const compose = () => import("../../sandbox/docker/compose-stack.js");
const kube = () => import("../../sandbox/kube/kube-stack.js");

const kubeOpts = (o: Record<string, unknown>) => ({
  kubeconfig: o.kubeconfig as string | undefined,
  context: o.context as string,
  stateDir: `${o.stateDir as string}/kube-sandbox`,
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
    .addOption(DOCKER_OPTIONS.kubeconfig())
    .addOption(DOCKER_OPTIONS.context())
    .action(async (opts) => {
      if (opts.runtime === "kubernetes") {
        const endpoints = await (await kube()).kubeUp({ ...kubeOpts(opts), breaks: opts.break ?? [], log });
        process.stdout.write(`${JSON.stringify(endpoints, null, 2)}\n`);
        return;
      }
      if (opts.runtime === "docker") {
        const endpoints = await (await compose()).composeUp({
          ...dockerOpts(opts),
          breaks: opts.break ?? [],
          log,
        });
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
    .addOption(DOCKER_OPTIONS.kubeconfig())
    .addOption(DOCKER_OPTIONS.context())
    .action(async (opts) => {
      if (opts.runtime === "kubernetes") return (await kube()).kubeDown({ ...kubeOpts(opts), log });
      if (opts.runtime === "docker") return (await compose()).composeDown({ ...dockerOpts(opts), log });
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
    .addOption(DOCKER_OPTIONS.kubeconfig())
    .addOption(DOCKER_OPTIONS.context())
    .action(async (opts) => {
      if (opts.runtime === "kubernetes") {
        process.stdout.write(await (await kube()).kubeStatus(kubeOpts(opts)));
        return;
      }
      if (opts.runtime === "docker") {
        process.stdout.write(await (await compose()).composeStatus(dockerOpts(opts)));
        return;
      }
      const status = await sandboxStatus({ stateDir: `${opts.stateDir}/sandbox` });
      process.stdout.write(opts.json ? `${JSON.stringify(status, null, 2)}\n` : formatSandboxStatus(status));
      process.exitCode = sandboxProblems(status).length ? ExitCode.failed : ExitCode.passed;
    });
}
