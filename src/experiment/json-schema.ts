import { z } from "zod";
import { drillSchema } from "../drill/drill-schema.js";
import { targetsFileSchema } from "../targets/targets-schema.js";
import { formatDuration } from "./duration.js";
import { gameDaySchema } from "./gameday-schema.js";
import { experimentSchema } from "./schema.js";

const DRAFT = "https://json-schema.org/draft/2020-12/schema";

/** Where the published schemas live in the repo (`schemas/<kind>.schema.json`) and the $id prefix. */
export const SCHEMA_ID_BASE = "https://gameday.dev/schemas/v1/";

/**
 * Every file kind with its zod schema: the JSON Schemas, `gameday schema --kind` and the
 * published files under schemas/ all come from this table. A new kind (a drill) is one entry.
 */
export const SCHEMA_KINDS = {
  experiment: { kind: "Experiment", schema: experimentSchema, title: "gameday experiment" },
  gameday: { kind: "GameDay", schema: gameDaySchema, title: "gameday game day (a suite of experiments)" },
  targets: { kind: "Targets", schema: targetsFileSchema, title: "gameday target environments" },
  drill: {
    kind: "Drill",
    schema: drillSchema,
    title: "gameday incident drill (a hidden scenario with an answer key)",
  },
} as const satisfies Record<string, { kind: string; schema: z.ZodType; title: string }>;

export type SchemaKind = keyof typeof SCHEMA_KINDS;
export const SCHEMA_KIND_NAMES = Object.keys(SCHEMA_KINDS) as SchemaKind[];

/** The stable $id of a kind's schema; also its file name under schemas/. */
export const schemaFileName = (kind: SchemaKind) => `${kind}.schema.json`;
export const schemaId = (kind: SchemaKind) => `${SCHEMA_ID_BASE}${schemaFileName(kind)}`;

/**
 * A file kind as users write it (input side: durations are strings with units), for editors
 * such as the YAML language server. Built from the zod schema, so it cannot drift.
 */
export function jsonSchemaFor(kind: SchemaKind): Record<string, unknown> {
  const entry = SCHEMA_KINDS[kind];
  const schema = z.toJSONSchema(entry.schema, {
    io: "input",
    target: "draft-2020-12",
    // Cross-field rules (exactly one comparator, during names a fault) have no JSON Schema form;
    // `gameday validate` checks them.
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema }) => {
      // A duration's default is held in milliseconds; editors should offer what users write.
      const def = zodSchema._zod.def as { type: string; defaultValue?: unknown };
      if (def.type === "default" && jsonSchema.type === "string" && typeof def.defaultValue === "number")
        jsonSchema.default = formatDuration(def.defaultValue);
    },
  });
  return {
    $schema: DRAFT,
    $id: schemaId(kind),
    title: `${entry.title} (apiVersion gameday/v1, kind ${entry.kind})`,
    ...withoutDraft(schema),
  };
}

/** zod writes its own $schema first; ours (with the $id) leads the document instead. */
function withoutDraft(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _draft, ...rest } = schema;
  return rest;
}

/** The experiment file's schema (kept for callers from before there were several kinds). */
export function experimentJsonSchema(): Record<string, unknown> {
  return jsonSchemaFor("experiment");
}
