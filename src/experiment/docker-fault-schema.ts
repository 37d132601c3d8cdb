import { z } from "zod";
import { duration } from "./duration.js";
import { memorySize } from "./memory-size.js";
import { report } from "./refine-helpers.js";

/** Which containers: every given criterion must match (compose project and service, name, labels). */
const select = z
  .strictObject({
    project: z.string().min(1).optional().describe("compose project (label com.docker.compose.project)"),
    service: z.string().min(1).optional().describe("compose service (label com.docker.compose.service)"),
    name: z.string().min(1).optional().describe("exact container name"),
    labels: z.record(z.string(), z.string()).optional().describe("labels the container must carry"),
  })
  .refine((s) => Object.values(s).some((v) => v !== undefined), {
    error: "expected at least one of project, service, name, labels",
  })
  .describe("which containers the fault may touch; each must also be allow-listed in the target");

/** Which of the matching containers a fault touches; `max` is a hard ceiling on top of every mode. */
const selection = {
  select,
  mode: z
    .enum(["one", "all", "fixed", "percent"])
    .default("one")
    .describe("one random container, all, a fixed count, or a percentage of the matching ones"),
  count: z.number().int().positive().max(1000).optional().describe("mode: fixed: how many containers"),
  percent: z.number().positive().max(100).optional().describe("mode: percent: share of the matching ones"),
  max: z.number().int().positive().max(1000).default(10).describe("ceiling: never more containers than this"),
};

const grace = duration.default(10_000).describe("time to stop gracefully before SIGKILL");

export const dockerFaultSchema = z
  .discriminatedUnion("action", [
    z.strictObject({ ...selection, action: z.literal("stop"), timeout: grace }),
    z.strictObject({
      ...selection,
      action: z.literal("kill"),
      signal: z
        .string()
        .regex(/^SIG[A-Z0-9]+$/, { error: 'expected a signal name such as "SIGKILL" or "SIGTERM"' })
        .default("SIGKILL"),
    }),
    z.strictObject({ ...selection, action: z.literal("pause") }),
    z.strictObject({ ...selection, action: z.literal("restart"), timeout: grace }),
    z.strictObject({
      ...selection,
      action: z.literal("memory-limit"),
      limit: memorySize.describe(
        "the squeezed limit (memory and memory+swap); the exact old one is restored",
      ),
    }),
    z.strictObject({
      ...selection,
      action: z.literal("memory-hog"),
      size: memorySize.describe("memory a helper process allocates inside the container"),
      oomVictim: z
        .enum(["hog", "main"])
        .default("hog")
        .describe("main: the container's PID 1 is made the OOM killer's first choice, as in a leak"),
    }),
    z.strictObject({
      ...selection,
      action: z.literal("cpu-quota"),
      cpus: z.number().positive().max(1024).describe("CPU quota in cores (0.25 = a quarter core)"),
    }),
    z.strictObject({
      ...selection,
      action: z.literal("cpu-burn"),
      workers: z.number().int().min(1).max(64).default(1).describe("busy threads inside the container"),
    }),
    z.strictObject({ ...selection, action: z.literal("network-outage") }),
  ])
  .superRefine((v, ctx) => {
    if (v.mode === "fixed" && v.count === undefined)
      report(ctx, { path: ["count"], message: "expected count with mode: fixed" });
    if (v.mode !== "fixed" && v.count !== undefined)
      report(ctx, { path: ["count"], message: `count is only for mode: fixed (mode is ${v.mode})` });
    if (v.mode === "percent" && v.percent === undefined)
      report(ctx, { path: ["percent"], message: "expected percent with mode: percent" });
    if (v.mode !== "percent" && v.percent !== undefined)
      report(ctx, { path: ["percent"], message: `percent is only for mode: percent (mode is ${v.mode})` });
  })
  .describe("a container fault through the Docker Engine API");

export type DockerFaultSpec = z.infer<typeof dockerFaultSchema>;
export type DockerAction = DockerFaultSpec["action"];
