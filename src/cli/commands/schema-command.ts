import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Command, Option } from "commander";
import {
  jsonSchemaFor,
  SCHEMA_KIND_NAMES,
  type SchemaKind,
  schemaFileName,
} from "../../experiment/json-schema.js";
import { CLI_OPTIONS } from "../cli-options.js";

const text = (kind: SchemaKind) => `${JSON.stringify(jsonSchemaFor(kind), null, 2)}\n`;

export function registerSchemaCommand(program: Command): void {
  program
    .command("schema")
    .description("print the JSON Schema of a file kind (experiment, gameday, targets, drill), for editors")
    .addOption(
      new Option("--kind <kind>", "which file kind").choices(SCHEMA_KIND_NAMES).default("experiment"),
    )
    .addOption(CLI_OPTIONS.output())
    .addOption(
      new Option("--dir <folder>", "write every kind to <folder>/<kind>.schema.json (as in schemas/)"),
    )
    .action((opts: { kind: SchemaKind; output?: string; dir?: string }) => {
      if (opts.dir) {
        mkdirSync(opts.dir, { recursive: true });
        for (const kind of SCHEMA_KIND_NAMES) {
          const file = join(opts.dir, schemaFileName(kind));
          writeFileSync(file, text(kind));
          process.stdout.write(`wrote ${file}\n`);
        }
      } else if (opts.output) writeFileSync(opts.output, text(opts.kind));
      else process.stdout.write(text(opts.kind));
    });
}
