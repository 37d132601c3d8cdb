import { z } from "zod";

/**
 * Upper bounds on what a hand-written file holds. A real experiment has a handful of faults and
 * checks; a hostile one with 50,000 labels or 100,000 faults is refused by count, cheaply.
 */
export const LIMITS = {
  labels: 64,
  labelKey: 63,
  labelValue: 256,
  description: 2000,
  faults: 50,
  checks: 100,
  headers: 50,
  headerValue: 4096,
  body: 64 * 1024,
  promql: 4096,
  experiments: 100,
  maxInFlight: 10_000,
  count: 1000,
} as const;

/** Free-form labels, bounded in number and size. */
export const labelsSchema = z
  .record(z.string().min(1).max(LIMITS.labelKey), z.string().max(LIMITS.labelValue))
  .refine((labels) => Object.keys(labels).length <= LIMITS.labels, {
    error: `expected at most ${LIMITS.labels} labels`,
  });

/** A header name is an HTTP token; a value holds no line break (one could smuggle a second header). */
export const headersSchema = z
  .record(
    z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/, { error: "expected an HTTP header name" }),
    z
      .string()
      .max(LIMITS.headerValue)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
      .regex(/^[^\u0000-\u0008\u000A-\u001F\u007F]*$/, {
        error: "expected a header value without control characters",
      }),
  )
  .refine((headers) => Object.keys(headers).length <= LIMITS.headers, {
    error: `expected at most ${LIMITS.headers} headers`,
  });
