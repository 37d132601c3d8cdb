import { z } from "zod";
import { SERVICE_NAMES } from "../../sandbox-services/lib/topology.js";
import { mechanismSchema, mitigationSchema, triggerSchema } from "./mechanisms.js";

const t = z.number().describe("epoch ms");
const responder = z.string();

/** A responder's root cause: from the catalogue's choices, plus free text. */
export const rootCauseSchema = z.strictObject({
  component: z.enum(SERVICE_NAMES),
  mechanism: mechanismSchema,
  trigger: triggerSchema,
});
export type RootCause = z.infer<typeof rootCauseSchema>;

/**
 * One line of a drill's timeline.jsonl. Events marked `hidden` (the scenario itself) are never
 * served to responders; the report reveals them at the end.
 */
export const drillEventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("started"),
    t,
    drill: z.string(),
    file: z.string(),
    responders: z.array(responder),
    timeLimitMs: z.number(),
    window: z.object({ fromMs: z.number(), toMs: z.number() }),
  }),
  z.object({ type: z.literal("clock.started"), t, runId: z.string() }),
  z.object({
    type: z.literal("fault.injected"),
    t,
    hidden: z.literal(true),
    fault: z.string(),
    description: z.string(),
  }),
  z.object({
    type: z.literal("fault.reverted"),
    t,
    hidden: z.literal(true),
    fault: z.string(),
    by: z.string(),
  }),
  z.object({
    type: z.literal("alert.firing"),
    t,
    alert: z.string(),
    labels: z.record(z.string(), z.string()),
  }),
  z.object({ type: z.literal("alert.resolved"), t, alert: z.string() }),
  z.object({ type: z.literal("symptom"), t, state: z.enum(["broken", "held"]), detail: z.string() }),
  z.object({ type: z.literal("hint"), t, text: z.string() }),
  z.object({ type: z.literal("ack"), t, responder }),
  z.object({
    type: z.literal("note"),
    t,
    responder,
    text: z.string(),
    hypothesis: rootCauseSchema.optional(),
  }),
  z.object({
    type: z.literal("mitigation"),
    t,
    responder,
    action: mitigationSchema,
    service: z.string().optional(),
    detail: z.string(),
  }),
  z.object({
    type: z.literal("answer"),
    t,
    responder,
    ...rootCauseSchema.shape,
    text: z.string(),
  }),
  z.object({
    type: z.literal("ended"),
    t,
    reason: z.enum(["answered", "time-limit", "stopped", "signal", "error"]),
    detail: z.string(),
    rollback: z.object({ verified: z.boolean(), remaining: z.array(z.string()) }),
    runId: z.string().optional(),
    verdict: z.string().optional(),
  }),
]);
export type DrillEvent = z.infer<typeof drillEventSchema>;
export type DrillEventType = DrillEvent["type"];
/** An event as written, before the timestamp: a distributive Omit keeps the union. */
export type NewDrillEvent = DrillEvent extends infer E
  ? E extends DrillEvent
    ? Omit<E, "t">
    : never
  : never;
