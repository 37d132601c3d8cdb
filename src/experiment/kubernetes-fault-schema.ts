import { z } from "zod";
import { duration } from "./duration.js";
import { report } from "./refine-helpers.js";
import { toxiproxyFaultSchema } from "./toxiproxy-fault-schema.js";

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const namespace = z
  .string()
  .regex(dnsLabel, { error: "expected a namespace name (lowercase letters, digits and dashes)" })
  .describe("must be in the target's kubernetes.namespaces allow-list");

const context = z
  .string()
  .min(1)
  .optional()
  .describe("a kubeconfig context from the target's allow-list; default: the first one");

const selector = z
  .string()
  .min(1, { error: 'expected a label selector such as "app=orders"' })
  .describe('a label selector, as kubectl -l takes it: "app=orders,tier!=canary"');

/** Which of the matching pods a fault touches; `max` is a hard ceiling on top of every mode. */
const selection = {
  selector,
  mode: z
    .enum(["one", "all", "fixed", "percent"])
    .default("one")
    .describe("one random pod, all, a fixed count, or a percentage of the matching pods"),
  count: z.number().int().positive().max(1000).optional().describe("mode: fixed: how many pods"),
  percent: z.number().positive().max(100).optional().describe("mode: percent: share of the matching pods"),
  max: z.number().int().positive().max(1000).default(10).describe("ceiling: never more pods than this"),
};

const workload = z
  .string()
  .regex(/^(deployment|statefulset)\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/, {
    error: 'expected "deployment/<name>" or "statefulset/<name>"',
  })
  .describe('the workload to scale to zero: "deployment/<name>" or "statefulset/<name>"');

const quantity = z
  .string()
  .regex(/^\d+(Ki|Mi|Gi)$/, { error: 'expected a memory size such as "256Mi" or "1Gi"' });

export const kubernetesFaultSchema = z
  .discriminatedUnion("action", [
    z.strictObject({
      action: z.literal("pod-delete"),
      context,
      namespace,
      ...selection,
      gracePeriod: duration.default(0).describe("the pods' termination grace period"),
      readyTimeout: duration.default(60_000).describe("revert waits this long for Ready replacements"),
    }),
    z.strictObject({
      action: z.literal("scale-to-zero"),
      context,
      namespace,
      workload,
      readyTimeout: duration.default(60_000).describe("revert waits this long for the replicas to be Ready"),
    }),
    z.strictObject({
      action: z.literal("memory-pressure"),
      context,
      namespace,
      ...selection,
      memory: quantity.describe("memory the stress container allocates; also its limit"),
      image: z
        .string()
        .min(1)
        .optional()
        .describe(
          "refused when set: the stress image comes from the targets file (kubernetes.stressImage, pinned by digest)",
        ),
    }),
    z.strictObject({
      action: z.literal("network"),
      context,
      toxiproxy: toxiproxyFaultSchema.describe("a toxic on a proxy of the in-cluster Toxiproxy"),
    }),
  ])
  .superRefine((v, ctx) => {
    if (v.action !== "pod-delete" && v.action !== "memory-pressure") return;
    if (v.mode === "fixed" && v.count === undefined)
      report(ctx, { path: ["count"], message: "mode fixed needs the number of pods" });
    if (v.mode === "percent" && v.percent === undefined)
      report(ctx, {
        path: ["percent"],
        message: "mode percent needs the share of pods, 1 to 100",
      });
  })
  .describe("a Kubernetes fault in an allow-listed namespace of the target's cluster");

export type KubernetesFaultSpec = z.infer<typeof kubernetesFaultSchema>;
