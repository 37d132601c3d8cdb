import { z } from "zod";
import { isTimeZone } from "../safety/zoned-time.js";

export const WEEKDAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/** `2026-12-20` or `2026-12-20T18:30`: a wall time in the window's zone (no offset: the zone gives it). */
const localDateTime = z
  .string({ error: 'expected a date or date-time such as "2026-12-20" or "2026-12-20T18:30" (quoted)' })
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d)?$/, {
    error:
      'expected a date or date-time such as "2026-12-20" or "2026-12-20T18:30", in the window\'s timezone',
  });

/** `16:00`; `24:00` is the end of the day. */
const clockTime = z
  .string({ error: 'expected a time of day such as "16:00" (quoted)' })
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { error: 'expected a time of day from "00:00" to "24:00"' });

const weeklySchema = z.strictObject({
  days: z.array(z.enum(WEEKDAY_NAMES)).min(1).max(7).describe("the days the window starts on"),
  from: clockTime,
  to: clockTime.describe("the end; earlier than `from` means the next day (22:00 to 06:00)"),
});

/**
 * A time no run may touch the target: one period (`from`/`to`) or a weekly window, in a time
 * zone. Runs refuse to start inside one or when their planned duration would reach one; a
 * schedule's tick inside one is skipped.
 */
export const blackoutSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/, {
      error: "expected a name of letters, digits, spaces, . _ -",
    }),
    from: localDateTime.optional().describe("start of a one-off window (inclusive)"),
    to: localDateTime.optional().describe("end of a one-off window (exclusive)"),
    weekly: weeklySchema.optional(),
    timezone: z
      .string()
      .max(64)
      .refine(isTimeZone, { error: 'expected an IANA time zone such as "Europe/Berlin" or "UTC"' })
      .default("UTC"),
  })
  .superRefine((b, ctx) => {
    const period = b.from !== undefined || b.to !== undefined;
    if (period && b.weekly)
      ctx.addIssue({
        code: "custom",
        path: ["weekly"],
        message: "expected either from/to or weekly, not both",
      });
    else if (!period && !b.weekly)
      ctx.addIssue({
        code: "custom",
        message: "expected from and to (a period) or weekly (a weekly window)",
      });
    else if (period) {
      if (b.from === undefined)
        ctx.addIssue({ code: "custom", path: ["from"], message: "expected from with to" });
      else if (b.to === undefined)
        ctx.addIssue({ code: "custom", path: ["to"], message: "expected to with from" });
      else if (normal(b.to) <= normal(b.from))
        ctx.addIssue({ code: "custom", path: ["to"], message: `expected a time after from (${b.from})` });
    } else if (b.weekly && b.weekly.from === b.weekly.to)
      ctx.addIssue({ code: "custom", path: ["weekly", "to"], message: "expected a time other than from" });
  });

/** A date alone is its midnight, so the two forms compare as text. */
const normal = (t: string) => (t.length === 10 ? `${t}T00:00` : t);

export const blackoutsSchema = z
  .array(blackoutSchema)
  .max(50)
  .default([])
  .describe("windows in which no run may touch this target (dates or weekly, each with a time zone)");

export type Blackout = z.infer<typeof blackoutSchema>;
