import { z } from "zod";
import { SERVICE_NAMES } from "../../sandbox-services/lib/topology.js";
import { LIMITS, labelsSchema } from "../experiment/bounded.js";
import { duration, formatDuration, positiveDuration } from "../experiment/duration.js";
import { COMPARATORS } from "../experiment/metric-schema.js";
import { isObject, onObjects, report } from "../experiment/refine-helpers.js";
import { faultSchema, loadSchema, steadyStateSchema } from "../experiment/schema.js";
import { mechanismSchema, mitigationSchema, triggerSchema } from "./mechanisms.js";

const nameField = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
  error: "expected a name of lowercase letters, digits and dashes (at most 63)",
});

/** The root cause a responder must find: one of the sandbox's services, a mechanism and a trigger. */
export const answerKeySchema = z
  .strictObject({
    component: z.enum(SERVICE_NAMES).describe("the sandbox service where the cause is"),
    mechanism: mechanismSchema.describe("what broke (src/drill/mechanisms.ts)"),
    trigger: triggerSchema.describe("what set it off"),
    chain: z
      .array(z.string().min(1).max(300))
      .max(20)
      .default([])
      .describe("the causal chain from cause to symptom, one step a line; revealed in the report"),
  })
  .describe("the answer key; never shown to responders before the drill ends");

export const hintSchema = z.strictObject({
  after: positiveDuration.describe("when the hint is shown, from the drill's start"),
  text: z.string().min(1).max(500),
});

export const panelSchema = z.strictObject({
  name: z.string().min(1).max(120),
  promql: z.string().min(1).max(LIMITS.promql).describe("an instant query on the target's Prometheus"),
  unit: z.string().max(20).optional(),
});

export const drillSchema = z
  .strictObject({
    apiVersion: z.literal("gameday/v1").describe("the file format version"),
    kind: z.literal("Drill"),
    metadata: z.strictObject({
      name: nameField.describe("the drill's id in state folders and reports"),
      description: z
        .string()
        .max(LIMITS.description)
        .optional()
        .describe("the scenario; revealed only in the report, never to responders during the drill"),
      labels: labelsSchema.default({}),
    }),
    spec: z.strictObject({
      target: z.string().min(1).describe("a target environment named in the targets file"),
      briefing: z
        .string()
        .max(LIMITS.description)
        .default("You are on call for checkout. Something may go wrong; find out what.")
        .describe("what responders are told at the start (must not reveal the scenario)"),
      sampleInterval: duration
        .refine((ms) => ms >= 250 && ms <= 60_000, { error: "expected a sample interval from 250ms to 1m" })
        .default(1000),
      window: z
        .strictObject({
          from: duration.describe("earliest injection moment after the drill's start"),
          to: duration.describe("latest injection moment"),
        })
        .describe("the scenario is injected at a random moment in this window"),
      timeLimit: positiveDuration.describe("the drill ends by itself this long after its start"),
      load: loadSchema,
      steadyState: z
        .array(steadyStateSchema)
        .min(1, { error: "expected at least one steady-state check: the symptom a mitigation must end" })
        .max(LIMITS.checks)
        .describe("the service level on-call protects; broken = the symptom, held again = mitigated"),
      faults: z
        .array(faultSchema)
        .min(1, { error: "expected at least one fault" })
        .max(LIMITS.faults)
        .describe("the scenario: experiment faults, `at` counted from the injection moment"),
      answer: answerKeySchema,
      hints: z.array(hintSchema).max(20).default([]),
      mitigations: z
        .array(mitigationSchema)
        .max(10)
        .default([])
        .describe("the actions the sandbox offers responders in this drill"),
      clearedBy: z
        .array(
          z.strictObject({
            action: mitigationSchema,
            service: z.enum(SERVICE_NAMES).optional().describe("restart-service: which service"),
          }),
        )
        .max(10)
        .default([])
        .describe(
          "the mitigations that end the scenario as the real fix would (the drill then reverts its faults early); hidden from responders",
        ),
      panels: z
        .array(panelSchema)
        .max(30)
        .optional()
        .describe("dashboard panels; the sandbox's standard panels when omitted"),
    }),
  })
  .superRefine((d, ctx) => {
    const spec: Record<string, unknown> = isObject(d.spec) ? d.spec : {};
    const limit = typeof spec.timeLimit === "number" ? spec.timeLimit : undefined;
    const window = isObject(spec.window) ? spec.window : {};
    const { from, to } = window as { from?: unknown; to?: unknown };
    if (typeof from === "number" && typeof to === "number" && to < from)
      report(ctx, {
        path: ["spec", "window", "to"],
        message: `expected the window's end at or after its start (${formatDuration(from)}), found ${formatDuration(to)}`,
      });
    if (limit !== undefined && typeof to === "number" && to >= limit)
      report(ctx, {
        path: ["spec", "window", "to"],
        message: `expected the injection window to end before the time limit (${formatDuration(limit)}), found ${formatDuration(to)}`,
      });
    if (limit !== undefined && Array.isArray(spec.hints))
      spec.hints.forEach((h, i) => {
        if (isObject(h) && typeof h.after === "number" && h.after >= limit)
          report(ctx, {
            path: ["spec", "hints", i, "after"],
            message: `expected a hint before the time limit (${formatDuration(limit)}), found ${formatDuration(h.after)}: it would never be shown`,
          });
      });
    if (Array.isArray(spec.faults)) {
      const seen = new Set<string>();
      spec.faults.forEach((f, i) => {
        if (!isObject(f) || typeof f.name !== "string") return;
        if (seen.has(f.name))
          report(ctx, {
            path: ["spec", "faults", i, "name"],
            message: `expected a unique fault name, found "${f.name}" again`,
          });
        seen.add(f.name);
      });
    }
    // The symptom is judged live, with no baseline phase of its own: thresholds must be absolute.
    if (Array.isArray(spec.steadyState))
      spec.steadyState.forEach((c, i) => {
        if (!isObject(c)) return;
        for (const key of COMPARATORS) {
          const t = c[key];
          if (isObject(t) && t.kind === "relative")
            report(ctx, {
              path: ["spec", "steadyState", i, key],
              message: "expected an absolute threshold: a drill's symptom is judged without a baseline",
            });
        }
      });
    if (Array.isArray(spec.faults) && typeof to === "number" && limit !== undefined)
      spec.faults.forEach((f, i) => {
        if (isObject(f) && typeof f.at === "number" && to + f.at >= limit)
          report(ctx, {
            path: ["spec", "faults", i, "at"],
            message: `expected the fault to start before the time limit (${formatDuration(limit)}) even when injected at the window's end (${formatDuration(to)})`,
          });
      });
    if (Array.isArray(spec.clearedBy) && Array.isArray(spec.mitigations))
      spec.clearedBy.forEach((c, i) => {
        if (
          isObject(c) &&
          typeof c.action === "string" &&
          !(spec.mitigations as unknown[]).includes(c.action)
        )
          report(ctx, {
            path: ["spec", "clearedBy", i, "action"],
            message: `expected one of the drill's mitigations (${(spec.mitigations as unknown[]).join(", ") || "none"}), found "${c.action}"`,
          });
      });
    if (Array.isArray(spec.mitigations) && new Set(spec.mitigations).size !== spec.mitigations.length)
      report(ctx, { path: ["spec", "mitigations"], message: "expected each mitigation once" });
  }, onObjects)
  .describe("a gameday incident drill: a hidden scenario, responders, an answer key, a report");

export type Drill = z.infer<typeof drillSchema>;
export type AnswerKey = z.infer<typeof answerKeySchema>;
export type Panel = z.infer<typeof panelSchema>;
