import { z } from "zod";
import { COMPARATORS } from "../../experiment/metric-schema.js";

/** What a series is: enough for a chart (threshold line, window) without the experiment file. */
export const seriesLineSchema = z.object({
  k: z.literal("series"),
  id: z.string(),
  label: z.string(),
  group: z.enum(["expect", "steady", "abort"]),
  probe: z.string().optional(),
  op: z.enum(COMPARATORS).optional(),
  threshold: z.number().optional(),
  check: z.string().optional(),
  during: z.string().optional(),
  within: z.number().optional(),
  recoveredWithin: z.number().optional(),
  at: z.string().optional(),
});

/** One probe reading: v is null when the probe had no data. */
export const sampleLineSchema = z.object({
  k: z.literal("s"),
  id: z.string(),
  t: z.number(),
  v: z.number().nullable(),
});

/** The load generator's statistics over the last sampling interval, at each tick. */
export const loadLineSchema = z.object({
  k: z.literal("load"),
  t: z.number(),
  n: z.number(),
  rps: z.number(),
  err: z.number().nullable(),
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
});

export const samplesLineSchema = z.discriminatedUnion("k", [
  seriesLineSchema,
  sampleLineSchema,
  loadLineSchema,
]);

export type SeriesLine = z.infer<typeof seriesLineSchema>;
export type SampleLine = z.infer<typeof sampleLineSchema>;
export type LoadLine = z.infer<typeof loadLineSchema>;
export type SamplesLine = z.infer<typeof samplesLineSchema>;
