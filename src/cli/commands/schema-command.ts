import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { experimentJsonSchema } from "../../experiment/json-schema.js";
import { CLI_OPTIONS } from "../cli-options.js";

export function registerSchemaCommand(program: Command): void {
  program
    .command("schema")
    .description("print the JSON Schema of experiment files, for editors")
    .addOption(CLI_OPTIONS.output())
    .action((opts) => {
      const text = `${JSON.stringify(experimentJsonSchema(), null, 2)}\n`;
      if (opts.output) writeFileSync(opts.output, text);
      else process.stdout.write(text);
    });
}
