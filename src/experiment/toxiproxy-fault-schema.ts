import { z } from "zod";
import { duration } from "./duration.js";

/** Fields every toxic shares; `toxicity` is the share of connections affected. */
const common = {
  proxy: z.string().min(1, { error: "expected the name of a Toxiproxy proxy" }),
  stream: z.enum(["upstream", "downstream"]).default("downstream"),
  toxicity: z
    .number({ error: "expected a number from 0 to 1" })
    .min(0, { error: "expected toxicity from 0 to 1" })
    .max(1, { error: "expected toxicity from 0 to 1" })
    .default(1),
};

const bytes = z.number().int().nonnegative();

/** One entry per toxic type; strict objects so a misspelt attribute is an error, not a silent default. */
export const toxiproxyFaultSchema = z.discriminatedUnion("toxic", [
  z.strictObject({ ...common, toxic: z.literal("latency"), latency: duration, jitter: duration.default(0) }),
  z.strictObject({
    ...common,
    toxic: z.literal("bandwidth"),
    rate: z.number().int().nonnegative().describe("KB/s"),
  }),
  z.strictObject({ ...common, toxic: z.literal("slow_close"), delay: duration }),
  z.strictObject({ ...common, toxic: z.literal("timeout"), timeout: duration.default(0) }),
  z.strictObject({ ...common, toxic: z.literal("reset_peer"), timeout: duration.default(0) }),
  z.strictObject({
    ...common,
    toxic: z.literal("slicer"),
    averageSize: bytes,
    sizeVariation: bytes.default(0),
    delay: duration.default(0),
  }),
  z.strictObject({ ...common, toxic: z.literal("limit_data"), bytes }),
  // A whole dependency outage: the proxy is disabled, so connections are refused.
  z.strictObject({ proxy: common.proxy, toxic: z.literal("outage") }),
]);

export type ToxiproxyFaultSpec = z.infer<typeof toxiproxyFaultSchema>;
