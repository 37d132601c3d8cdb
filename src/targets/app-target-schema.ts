import { z } from "zod";
import { credentialSourceSchema } from "./credentials.js";
import { httpUrl } from "./http-url.js";

/**
 * Services whose app-fault control endpoint gameday may call (the contract of
 * sandbox-services/README.md), each with the bearer token's source. Only these are in reach.
 */
export const appTargetSchema = z
  .strictObject({
    services: z
      .record(
        z
          .string()
          .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: "expected a service name (lowercase, digits, -)" }),
        z.strictObject({
          control: httpUrl.describe("the control endpoint's base URL, e.g. http://127.0.0.1:19783"),
          token: credentialSourceSchema.describe("its bearer token: { file } or { env }"),
        }),
      )
      .refine((s) => Object.keys(s).length >= 1 && Object.keys(s).length <= 50, {
        error: "expected 1 to 50 services",
      }),
  })
  .describe("application-level faults: the services' control endpoints faults may call");

export type AppTarget = z.infer<typeof appTargetSchema>;
