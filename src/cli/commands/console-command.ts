import { readFileSync } from "node:fs";
import { type Command, InvalidArgumentError, Option } from "commander";
import { startConsole } from "../../console/console-server.js";
import { redisConfigured } from "../../queue/redis-configured.js";
import { CLI_OPTIONS } from "../cli-options.js";
import { QUEUE_OPTIONS } from "../queue-options.js";

const port = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError(`expected a port 0-65535, found "${text}"`);
  return n;
};

export function registerConsoleCommand(program: Command): void {
  program
    .command("console")
    .description(
      "web console: live runs, abort, history, trends and schedules (127.0.0.1 only unless a token is set)",
    )
    .addOption(CLI_OPTIONS.stateDir())
    .addOption(new Option("--port <n>", "port to listen on").argParser(port).default(4680))
    .addOption(
      new Option("--host <address>", "address to bind; not loopback only with a token").default("127.0.0.1"),
    )
    .addOption(
      new Option(
        "--token-file <file>",
        "file holding the token every request must carry (or $GAMEDAY_CONSOLE_TOKEN)",
      ),
    )
    .addOption(QUEUE_OPTIONS.redis())
    .addOption(QUEUE_OPTIONS.prefix())
    .action(async (opts) => {
      const token = opts.tokenFile
        ? readFileSync(opts.tokenFile, "utf8").trim()
        : process.env.GAMEDAY_CONSOLE_TOKEN;
      const withRedis = redisConfigured(opts.redis);
      const running = await startConsole({
        stateDir: opts.stateDir,
        host: opts.host,
        port: opts.port,
        token: token || undefined,
        redis: withRedis ? { url: opts.redis, prefix: opts.prefix } : undefined,
      });
      process.stdout.write(`gameday console on ${running.url}${token ? " (token required)" : ""}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await running.close();
    });
}
