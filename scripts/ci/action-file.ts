import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

export const actionStepSchema = z
  .strictObject({
    name: z.string(),
    id: z.string().optional(),
    if: z.string().optional(),
    shell: z.string().optional(),
    run: z.string().optional(),
    uses: z.string().optional(),
    with: z.record(z.string(), scalar).optional(),
    env: z.record(z.string(), scalar).optional(),
    "working-directory": z.string().optional(),
  })
  .refine((s) => (s.run === undefined) !== (s.uses === undefined), "a step has exactly one of run and uses")
  .refine((s) => s.run === undefined || s.shell === "bash", "a composite run step needs shell: bash");
export type ActionStep = z.infer<typeof actionStepSchema>;

/** The parts of a composite action's action.yml the local runner reads. */
export const actionFileSchema = z.object({
  name: z.string(),
  description: z.string(),
  inputs: z.record(
    z.string(),
    z.strictObject({ description: z.string(), required: z.boolean().optional(), default: scalar.optional() }),
  ),
  outputs: z.record(z.string(), z.strictObject({ description: z.string(), value: z.string() })),
  runs: z.object({ using: z.literal("composite"), steps: z.array(actionStepSchema).min(1) }),
});
export type ActionFile = z.infer<typeof actionFileSchema>;

export function readActionFile(path: string): ActionFile {
  const parsed = actionFileSchema.safeParse(parse(readFileSync(path, "utf8")));
  if (!parsed.success)
    throw new Error(
      `${path}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}
