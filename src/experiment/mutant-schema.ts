import { z } from "zod";
import { BREAKS } from "../../sandbox-services/lib/breaks.js";

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "expected an environment variable name" });
const envOverride = z
  .record(envName, z.string())
  .refine((env) => Object.keys(env).length > 0, { error: "expected at least one variable" })
  .describe("variables to set on the service; each must match the target's mutableEnv");

/** The sandbox's own regression switch (SANDBOX_BREAK), restarted by gameday's launcher. */
export const sandboxMutantSchema = z.strictObject({
  break: z.enum(BREAKS).describe("one --break switch of the sandbox (sandbox-services/lib/breaks.ts)"),
});

/** A Docker Compose service recreated with an environment override, restored to the very same container. */
export const composeMutantSchema = z.strictObject({
  project: z.string().min(1).optional().describe("compose project; default: the target's only project"),
  service: z.string().min(1).describe("the compose service (label com.docker.compose.service)"),
  env: envOverride,
});

/** A Deployment's or StatefulSet's container environment patched; the exact prior pod template comes back. */
export const kubernetesMutantSchema = z.strictObject({
  context: z.string().min(1).optional(),
  namespace: z.string().min(1),
  workload: z.string().regex(/^(deployment|statefulset)\/[a-z0-9][a-z0-9.-]*$/, {
    error: 'expected "deployment/<name>" or "statefulset/<name>"',
  }),
  container: z.string().min(1).optional().describe("default: the pod template's first container"),
  env: envOverride,
});

const FORMS = ["sandbox", "compose", "kubernetes"] as const;

/**
 * A mutant: the system with one countermeasure removed, applied and reverted by gameday like a
 * fault. `gameday prove` runs the game day once against each and expects it to fail.
 */
export const mutantSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,40}$/, {
        error: "expected a name of lowercase letters, digits and dashes (at most 41)",
      })
      .describe("the mutant's id in the kill matrix and its owner tag"),
    description: z.string().optional().describe("which countermeasure is removed, in a sentence"),
    target: z
      .string()
      .min(1)
      .optional()
      .describe("the target environment it changes; default: the one target of the game day's experiments"),
    sandbox: sandboxMutantSchema.optional(),
    compose: composeMutantSchema.optional(),
    kubernetes: kubernetesMutantSchema.optional(),
  })
  .refine((m) => FORMS.filter((f) => m[f] !== undefined).length === 1, {
    error: `expected exactly one of ${FORMS.join(", ")}`,
  });

export type Mutant = z.infer<typeof mutantSchema>;
export type MutantForm = (typeof FORMS)[number];

export function formOf(m: Mutant): MutantForm {
  return FORMS.find((f) => m[f] !== undefined) as MutantForm;
}

/** The variables a mutant sets, as the target's mutableEnv must allow them. */
export function mutantEnv(m: Mutant): Record<string, string> {
  if (m.sandbox) return { SANDBOX_BREAK: m.sandbox.break };
  return m.compose?.env ?? m.kubernetes?.env ?? {};
}
