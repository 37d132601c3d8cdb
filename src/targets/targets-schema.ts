import { z } from "zod";
import { dockerTargetSchema } from "./docker-target-schema.js";
import { kubernetesTargetSchema } from "./kubernetes-target-schema.js";
import { mutableEnvSchema } from "./mutable-env-schema.js";

/**
 * A target environment: the endpoints gameday may touch. Anything not listed here is out of the
 * blast radius, so an experiment that names another proxy is refused at preflight.
 */
export const targetSchema = z.strictObject({
  description: z.string().optional(),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: ${VAR} is our interpolation syntax, not a typo
  vars: z.record(z.string(), z.string()).default({}).describe("values for ${VAR} in experiment files"),
  toxiproxy: z
    .strictObject({
      url: z.string().url(),
      proxies: z.array(z.string().min(1)).min(1).describe("allow-list of proxies faults may touch"),
    })
    .optional(),
  kubernetes: kubernetesTargetSchema.optional(),
  docker: dockerTargetSchema.optional(),
  prometheus: z.strictObject({ url: z.string().url() }).optional(),
  scrape: z.record(z.string(), z.string().url()).default({}).describe("service name to its /metrics URL"),
  mutableEnv: mutableEnvSchema,
});

export const targetsFileSchema = z.strictObject({
  apiVersion: z.literal("gameday/v1"),
  kind: z.literal("Targets"),
  targets: z.record(z.string(), targetSchema),
});

export type Target = z.infer<typeof targetSchema>;
export type TargetsFile = z.infer<typeof targetsFileSchema>;
