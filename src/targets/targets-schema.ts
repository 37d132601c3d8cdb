import { z } from "zod";
import { INSTALLATION_PATTERN } from "../faults/owner-tag.js";
import { dockerTargetSchema } from "./docker-target-schema.js";
import { kubernetesTargetSchema } from "./kubernetes-target-schema.js";

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
});

export const targetsFileSchema = z.strictObject({
  apiVersion: z.literal("gameday/v1"),
  kind: z.literal("Targets"),
  installation: z
    .string()
    .regex(INSTALLATION_PATTERN, {
      error: "expected an installation id of lowercase letters, digits and dashes (at most 32)",
    })
    .optional()
    .describe("the id in every owner tag; installations sharing a target never sweep each other's faults"),
  targets: z.record(z.string(), targetSchema),
});

export type Target = z.infer<typeof targetSchema>;
export type TargetsFile = z.infer<typeof targetsFileSchema>;
