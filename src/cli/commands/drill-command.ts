import type { Command } from "commander";
import { Option } from "commander";
import { CLI_OPTIONS } from "../cli-options.js";

/** The drill modules load only when a drill subcommand runs (CLI start-up stays lazy). */
const client = async () => (await import("../../drill/drill-client.js")).DrillClient;
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

type Common = { stateDir: string; drill?: string; as?: string };
const asOption = () =>
  new Option("--as <responder>", "who you are: one of the drill's --responders").env("GAMEDAY_RESPONDER");
const drillOption = () => new Option("--drill <id>", "the drill (default: the newest in the state folder)");

async function respond(o: Common, method: "GET" | "POST", path: string, body?: unknown): Promise<void> {
  const DrillClient = await client();
  print(await DrillClient.open(o.stateDir, { responder: o.as }, o.drill).call(method, path, body));
}

function rootCause(text: string): { component: string; mechanism: string; trigger: string } {
  const [component = "", mechanism = "", trigger = ""] = text.split("/");
  return { component, mechanism, trigger };
}

export function registerDrillCommand(program: Command): void {
  const drill = program
    .command("drill")
    .description("incident drills: a hidden scenario under load, responders, a scored report (drills/)");
  drill
    .command("start")
    .description("start load, inject the scenario at a random moment of its window, serve the responder API")
    .argument("[file]", "a Drill file")
    .option("--random", "a random drill of the catalogue (seeded by --seed)")
    .option("--scenario <name>", "the catalogue drill of this name")
    .addOption(new Option("--catalogue <dir>", "the drill catalogue").default("drills"))
    .option("--seed <n>", "seed for the drill choice and the injection moment")
    .addOption(new Option("--responders <names>", "comma-separated responder names").default("oncall"))
    .option("--time-limit <duration>", "override the drill's time limit (e.g. 60s)")
    .option("--window <from..to>", "override the injection window (e.g. 5s..20s)")
    .option("--port <n>", "responder API port on 127.0.0.1 (default: any free port)")
    .option(
      "--keep-view",
      "after the end, keep the drill view (gameday drill play) up with the results until Ctrl-C",
    )
    .addOption(CLI_OPTIONS.targets())
    .addOption(CLI_OPTIONS.stateDir())
    .addOption(
      new Option("--sandbox-dir <dir>", "the process sandbox's state folder (restart-service, logs)").default(
        ".gameday/sandbox",
      ),
    )
    .action(async (file: string | undefined, opts) => {
      const { startDrillCommand } = await import("../../drill/start-drill.js");
      process.exitCode = await startDrillCommand({ ...opts, file });
    });
  drill
    .command("play")
    .description("the address of your drill view in the browser (the token rides in the #fragment)")
    .addOption(asOption())
    .addOption(drillOption())
    .addOption(CLI_OPTIONS.stateDir())
    .action(async (o: Common) => {
      const { playLink } = await import("../../drill/play-link.js");
      process.stdout.write(`${playLink(o.stateDir, o.as, o.drill)}\n`);
    });
  drill
    .command("view")
    .description("what the on-call engineer sees now (JSON): panels, alerts, hints, your notes")
    .addOption(asOption())
    .addOption(drillOption())
    .addOption(CLI_OPTIONS.stateDir())
    .action((o: Common) => respond(o, "GET", "/view"));
  drill
    .command("ack")
    .description("acknowledge the page")
    .addOption(asOption())
    .addOption(drillOption())
    .addOption(CLI_OPTIONS.stateDir())
    .action((o: Common) => respond(o, "POST", "/ack"));
  drill
    .command("note")
    .description("add a note to the incident; --hypothesis marks it as a guess at the root cause")
    .argument("<text>")
    .option("--hypothesis <component/mechanism/trigger>", "a root-cause guess, scored as noise when wrong")
    .addOption(asOption())
    .addOption(drillOption())
    .addOption(CLI_OPTIONS.stateDir())
    .action((text: string, o: Common & { hypothesis?: string }) =>
      respond(o, "POST", "/notes", {
        text,
        ...(o.hypothesis ? { hypothesis: rootCause(o.hypothesis) } : {}),
      }),
    );
  drill
    .command("mitigate")
    .description(
      "take a mitigation the sandbox offers: restart-service --service <s>, rollback-config, shed-load",
    )
    .argument("<action>")
    .option("--service <name>", "restart-service: which service")
    .addOption(asOption())
    .addOption(drillOption())
    .addOption(CLI_OPTIONS.stateDir())
    .action((action: string, o: Common & { service?: string }) =>
      respond(o, "POST", "/mitigations", { action, ...(o.service ? { service: o.service } : {}) }),
    );
  drill
    .command("answer")
    .description("submit your root cause (final): component, mechanism, trigger and free text")
    .requiredOption("--component <service>")
    .requiredOption("--mechanism <mechanism>")
    .requiredOption("--trigger <trigger>")
    .option("--text <text>", "why you think so", "")
    .addOption(asOption())
    .addOption(drillOption())
    .addOption(CLI_OPTIONS.stateDir())
    .action((o: Common & { component: string; mechanism: string; trigger: string; text: string }) =>
      respond(o, "POST", "/answers", {
        component: o.component,
        mechanism: o.mechanism,
        trigger: o.trigger,
        text: o.text,
      }),
    );
  drill
    .command("logs")
    .description("search the services' logs by service, level (and above), trace id, time range and words")
    .option("--service <name>")
    .option("--level <level>")
    .option("--trace <id>")
    .option("--since <time>", "epoch ms or an ISO time")
    .option("--until <time>", "epoch ms or an ISO time")
    .option("--text <words>", "words the line must contain")
    .addOption(asOption())
    .addOption(drillOption())
    .addOption(CLI_OPTIONS.stateDir())
    .action(
      (
        o: Common & Record<"service" | "level" | "trace" | "since" | "until" | "text", string | undefined>,
      ) => {
        const q = new URLSearchParams(
          Object.entries({
            service: o.service,
            level: o.level,
            trace: o.trace,
            since: o.since,
            until: o.until,
            q: o.text,
          }).filter((e): e is [string, string] => e[1] !== undefined),
        );
        return respond(o, "GET", `/logs?${q}`);
      },
    );
  drill
    .command("stop")
    .description("end the drill now (rollback always) and write its report")
    .addOption(drillOption())
    .addOption(CLI_OPTIONS.stateDir())
    .action(async (o: Common) => {
      const DrillClient = await client();
      print(await DrillClient.open(o.stateDir, { organizer: true }, o.drill).call("POST", "/stop"));
    });
  drill
    .command("status")
    .description("the drill's id, status, address and responders (never its scenario)")
    .addOption(drillOption())
    .addOption(CLI_OPTIONS.stateDir())
    .action(async (o: Common) => {
      const { drillStatus } = await import("../../drill/drill-status.js");
      print(drillStatus(o.stateDir, o.drill));
    });
}
