import type { Command } from "commander";

export type RegisterCommand = (program: Command) => void;

/**
 * Every command by name, each module imported only when its name is on the command line: importing
 * all of them (bullmq, dockerode, the Kubernetes client, zod schemas...) costs most of a second and
 * ~100 MB before anything runs. Help imports them all. A new command is one line here whose loader
 * imports its module dynamically; nothing else may import a command module statically, or every
 * command (and the bundle's first chunk) pays for it.
 */
export const COMMANDS: Record<string, () => Promise<RegisterCommand>> = {
  run: async () => (await import("./commands/run-command.js")).registerRunCommand,
  validate: async () => (await import("./commands/validate-command.js")).registerValidateCommand,
  plan: async () => (await import("./commands/plan-command.js")).registerPlanCommand,
  schema: async () => (await import("./commands/schema-command.js")).registerSchemaCommand,
  recover: async () => (await import("./commands/recover-command.js")).registerRecoverCommand,
  sandbox: async () => (await import("./commands/sandbox-command.js")).registerSandboxCommand,
  enqueue: async () => (await import("./commands/enqueue-command.js")).registerEnqueueCommand,
  worker: async () => (await import("./commands/worker-command.js")).registerWorkerCommand,
  schedule: async () => (await import("./commands/schedule-command.js")).registerScheduleCommand,
  runs: async () => (await import("./commands/runs-command.js")).registerRunsCommand,
  prove: async () => (await import("./commands/prove-command.js")).registerProveCommand,
  halt: async () => (await import("./commands/halt-command.js")).registerHaltCommand,
  resume: async () => (await import("./commands/halt-command.js")).registerResumeCommand,
  drill: async () => (await import("./commands/drill-command.js")).registerDrillCommand,
  console: async () => (await import("./commands/console-command.js")).registerConsoleCommand,
};

/** The commands a command line needs: the one it names, or all of them (help, usage errors). */
export function commandsFor(args: string[]): string[] {
  const named = args.find((a) => !a.startsWith("-"));
  return named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
}
