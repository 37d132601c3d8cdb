import { z } from "zod";
import { duration } from "./duration.js";

/** Fields every toxic shares; `toxicity` is the share of connections affected. */
const common = {
  proxy: z
    .string()
    .min(1, { error: "expected the name of a Toxiproxy proxy" })
    .describe("a Toxiproxy proxy listed in the target's toxiproxy.proxies"),
  stream: z
    .enum(["upstream", "downstream"])
    .default("downstream")
    .describe("downstream: responses to the client; upstream: requests to the server"),
  toxicity: z
    .number({ error: "expected a number from 0 to 1" })
    .min(0, { error: "expected toxicity from 0 to 1" })
    .max(1, { error: "expected toxicity from 0 to 1" })
    .default(1)
    .describe("share of connections affected, 0 to 1"),
};

const bytes = z
  .number()
  .int()
  .nonnegative()
  .max(2 ** 31 - 1);

/** One entry per toxic type; strict objects so a misspelt attribute is an error, not a silent default. */
export const toxiproxyFaultSchema = z.discriminatedUnion("toxic", [
  z.strictObject({
    ...common,
    toxic: z.literal("latency"),
    latency: duration.describe("delay added to each chunk of data"),
    jitter: duration.default(0).describe("random variation, plus or minus, around latency"),
  }),
  z.strictObject({
    ...common,
    toxic: z.literal("bandwidth"),
    rate: z.number().int().nonnegative().max(10_000_000).describe("KB/s"),
  }),
  z.strictObject({
    ...common,
    toxic: z.literal("slow_close"),
    delay: duration.describe("delay before the connection is closed"),
  }),
  z.strictObject({
    ...common,
    toxic: z.literal("timeout"),
    timeout: duration
      .default(0)
      .describe("data is dropped, and the connection closed after this; 0: never closed"),
  }),
  z.strictObject({
    ...common,
    toxic: z.literal("reset_peer"),
    timeout: duration.default(0).describe("the connection is reset (TCP RST) after this"),
  }),
  z.strictObject({
    ...common,
    toxic: z.literal("slicer"),
    averageSize: bytes.describe("average size of a slice, in bytes"),
    sizeVariation: bytes.default(0).describe("variation of the slice size, in bytes"),
    delay: duration.default(0).describe("delay between slices"),
  }),
  z.strictObject({
    ...common,
    toxic: z.literal("limit_data"),
    bytes: bytes.describe("connection closed after this many bytes"),
  }),
  // A whole dependency outage: the proxy is disabled, so connections are refused.
  z.strictObject({ proxy: common.proxy, toxic: z.literal("outage") }),
]);

export type ToxiproxyFaultSpec = z.infer<typeof toxiproxyFaultSchema>;
