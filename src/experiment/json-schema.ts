import { z } from "zod";
import { formatDuration } from "./duration.js";
import { experimentSchema } from "./schema.js";

const DRAFT = "https://json-schema.org/draft/2020-12/schema";

/**
 * The experiment file as users write it (input side: durations are strings with units), for
 * editors such as the YAML language server. Built from the zod schema, so it cannot drift.
 */
export function experimentJsonSchema(): object {
  const schema = z.toJSONSchema(experimentSchema, {
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
    ...schema,
    $schema: DRAFT,
    title: "gameday experiment (apiVersion gameday/v1)",
  };
}
