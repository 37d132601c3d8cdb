import { hostname, userInfo } from "node:os";
import { z } from "zod";

/** What `gameday halt` records: why, who, where from, when. */
export const haltStateSchema = z.object({
  reason: z.string().max(500),
  by: z.string().max(200),
  host: z.string().max(200),
  at: z.number().describe("epoch ms"),
});
export type HaltState = z.infer<typeof haltStateSchema>;

/** A halt set now by this user on this host. */
export function haltStateNow(reason: string | undefined): HaltState {
  let by = process.env.USER ?? "unknown";
  try {
    by = userInfo().username;
  } catch {
    // no passwd entry (a container's random uid): $USER or "unknown" will do
  }
  return { reason: (reason ?? "no reason given").slice(0, 500), by, host: hostname(), at: Date.now() };
}

/** A stored halt; anything unreadable still counts as a halt (fail closed), with a reason that says so. */
export function parseHaltState(raw: string): HaltState {
  try {
    return haltStateSchema.parse(JSON.parse(raw));
  } catch {
    return { reason: "a halt flag that could not be read", by: "unknown", host: "unknown", at: 0 };
  }
}

/** One line naming the halt: `halted by ana@ops-1 at 2026-12-02T05:30:00.000Z: deploy freeze`. */
export function describeHalt(s: HaltState): string {
  return `halted by ${s.by}@${s.host} at ${new Date(s.at).toISOString()}: ${s.reason}`;
}
