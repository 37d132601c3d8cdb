import { z } from "zod";

const alertName = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, { error: "expected an alert name (letters, digits, _ . : -)" });

/** Conditions of the world that must hold before a run may start on this target. */
export const guardsSchema = z
  .strictObject({
    alerts: z
      .strictObject({
        names: z.array(alertName).min(1).max(50).describe("alerts that must not be firing"),
      })
      .optional()
      .describe(
        "refuse to start while any of these alerts fires on the target's prometheus (read from /api/v1/alerts; unreachable refuses too)",
      ),
  })
  .optional();

export type Guards = z.infer<typeof guardsSchema>;
