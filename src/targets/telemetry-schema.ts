import { z } from "zod";
import { credentialSourceSchema } from "./credentials.js";
import { httpUrl } from "./http-url.js";

/** An HTTP header name (RFC 9110 token), as an OTLP receiver's credentials are sent in one. */
const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, {
  error: "expected an HTTP header name, such as authorization",
});

/**
 * Where gameday sends a trace of each run. The endpoint is reach, so only the targets file names
 * it (never an experiment or a game day); header values come from files or variables and are
 * masked like any secret.
 */
export const telemetrySchema = z
  .strictObject({
    otlp: z
      .strictObject({
        endpoint: httpUrl.describe(
          "the OTLP/HTTP receiver's base URL (a Collector's is http://host:4318); traces are POSTed to <endpoint>/v1/traces",
        ),
        headers: z
          .record(headerName, credentialSourceSchema)
          .refine((h) => Object.keys(h).length <= 20, { error: "expected at most 20 headers" })
          .default({})
          .describe(
            "headers sent with every export (credentials, tenant): each value from { file } or { env }",
          ),
      })
      .describe("OpenTelemetry traces over OTLP/HTTP (JSON)"),
  })
  .describe(
    "a trace of every run (phases, faults, expectations, the verdict) exported to an OpenTelemetry receiver",
  );

export type TelemetryConfig = z.infer<typeof telemetrySchema>;
