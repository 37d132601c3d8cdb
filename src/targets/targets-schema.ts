import { z } from "zod";
import { INSTALLATION_PATTERN } from "../faults/owner-tag.js";
import { appTargetSchema } from "./app-target-schema.js";
import { blackoutsSchema } from "./blackout-schema.js";
import { credentialSourceSchema, envName, httpAuthSchema } from "./credentials.js";
import { dockerTargetSchema } from "./docker-target-schema.js";
import { guardsSchema } from "./guards-schema.js";
import { httpUrl } from "./http-url.js";
import { kubernetesTargetSchema } from "./kubernetes-target-schema.js";
import { mutableEnvSchema } from "./mutable-env-schema.js";
import { notifierName, notifierSchema } from "./notify-schema.js";
import { telemetrySchema } from "./telemetry-schema.js";

const varName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, { error: "expected a variable name (letters, digits, _)" });

/** `host` (any port) or `host:port`, as experiment URLs may reach them. */
const hostEntry = z.string().regex(/^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/, {
  error: 'expected a host or host:port, such as "127.0.0.1:18080" or "gateway.internal"',
});

/**
 * A target environment: the endpoints gameday may touch. Anything not listed here is out of the
 * blast radius, so an experiment that names another proxy is refused at preflight, and an
 * experiment URL on another host is refused at validation.
 */
export const targetSchema = z
  .strictObject({
    description: z.string().max(2000).optional(),
    vars: z
      .record(varName, z.string().max(4096))
      .default({})
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${VAR} is our interpolation syntax, not a typo
      .describe("values for ${VAR} in experiment files"),
    env: z.array(envName).max(200).default([]).describe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${VAR} is our interpolation syntax, not a typo
      "environment variables experiments on this target may read as ${NAME} (besides the top-level env)",
    ),
    secrets: z.record(varName, credentialSourceSchema).default({}).describe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${VAR} is our interpolation syntax, not a typo
      "${NAME} whose value comes from a file or a variable and is masked in every output, journal and report",
    ),
    hosts: z
      .array(hostEntry)
      .max(200)
      .default([])
      .describe(
        "hosts experiment URLs (load, http, scrape) may reach, besides those of vars and scrape; host or host:port",
      ),
    toxiproxy: z
      .strictObject({
        url: httpUrl,
        proxies: z.array(z.string().min(1)).min(1).describe("allow-list of proxies faults may touch"),
      })
      .optional(),
    kubernetes: kubernetesTargetSchema.optional(),
    docker: dockerTargetSchema.optional(),
    app: appTargetSchema.optional(),
    prometheus: z
      .strictObject({ url: httpUrl, auth: httpAuthSchema.optional().describe("credentials for its API") })
      .optional(),
    scrape: z.record(z.string(), httpUrl).default({}).describe("service name to its /metrics URL"),
    scrapeAuth: httpAuthSchema.optional().describe("credentials sent to the scrape URLs"),
    mutableEnv: mutableEnvSchema,
    blackouts: blackoutsSchema,
    guards: guardsSchema,
    notify: z
      .record(z.string(), notifierSchema)
      .superRefine((n, ctx) => {
        const names = Object.keys(n);
        if (names.length > 20) ctx.addIssue({ code: "custom", message: "expected at most 20 notifiers" });
        // Checked here rather than as the record's key schema, so the message says what a name may be.
        for (const name of names)
          if (!notifierName.safeParse(name).success)
            ctx.addIssue({
              code: "custom",
              path: [name],
              message: `expected a notifier name of lowercase letters, digits and dashes (at most 63), found "${name.slice(0, 70)}"`,
            });
      })
      .optional()
      .describe("receivers of this target's run events by name; a game day's spec.notify selects among them"),
  })
  .superRefine((t, ctx) => {
    if (t.guards?.alerts && !t.prometheus)
      ctx.addIssue({
        code: "custom",
        path: ["guards", "alerts"],
        message: "expected the target's prometheus (url and auth), which the alert guard reads",
      });
  });

export const targetsFileSchema = z.strictObject({
  apiVersion: z.literal("gameday/v1"),
  kind: z.literal("Targets"),
  env: z.array(envName).max(200).default([]).describe(
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${VAR} is our interpolation syntax, not a typo
    "environment variables every experiment may read as ${NAME}; no other variable of the environment is read",
  ),
  installation: z
    .string()
    .regex(INSTALLATION_PATTERN, {
      error: "expected an installation id of lowercase letters, digits and dashes (at most 32)",
    })
    .optional()
    .describe("the id in every owner tag; installations sharing a target never sweep each other's faults"),
  targets: z.record(z.string(), targetSchema),
  telemetry: telemetrySchema.optional(),
});

export type Target = z.infer<typeof targetSchema>;
export type TargetsFile = z.infer<typeof targetsFileSchema>;
