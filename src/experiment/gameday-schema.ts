import { z } from "zod";
import { notifierName } from "../targets/notify-schema.js";
import { LIMITS, labelsSchema } from "./bounded.js";
import { matrixSchema } from "./game-day-matrix.js";
import { mutantSchema } from "./mutant-schema.js";

/**
 * A game day: an ordered suite of experiment files (paths relative to this file) with one
 * combined verdict. By default the suite stops at the first experiment that does not pass.
 */
export const gameDaySchema = z
  .strictObject({
    apiVersion: z.literal("gameday/v1").describe("the file format version"),
    kind: z.literal("GameDay"),
    metadata: z.strictObject({
      name: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
          error: "expected a name of lowercase letters, digits and dashes (at most 63)",
        })
        .describe("the game day's id in run history, schedules and reports"),
      description: z
        .string()
        .max(LIMITS.description)
        .optional()
        .describe("what the day is for, in a sentence"),
      labels: labelsSchema.default({}),
    }),
    spec: z.strictObject({
      experiments: z
        .array(z.string().min(1, { error: "expected a file path" }).max(4096))
        .min(1, { error: "expected at least one experiment file" })
        .max(LIMITS.experiments)
        .describe("experiment files, run in this order; relative paths start at this file's folder"),
      continueOnFailure: z
        .boolean()
        .default(false)
        .describe("run the remaining experiments after one did not pass (default: stop there)"),
      matrix: matrixSchema.optional(),
      mutants: z
        .array(mutantSchema)
        .default([])
        .refine((ms) => new Set(ms.map((m) => m.name)).size === ms.length, {
          error: "expected unique mutant names",
        })
        .describe("countermeasures removed one at a time by `gameday prove`; each must fail the game day"),
      notify: z
        .array(notifierName)
        .max(20)
        .refine((ns) => new Set(ns).size === ns.length, { error: "expected unique notifier names" })
        .optional()
        .describe(
          "which of the targets' configured notifiers this game day uses, by name (default: all; [] for none); never a URL",
        ),
    }),
  })
  .describe("a gameday suite: experiments run in order with one combined verdict");

export type GameDay = z.infer<typeof gameDaySchema>;
