import { BREAKS, type Break, breakSchema, normalizeBreaks } from "../../sandbox-services/lib/breaks.js";
import { ValidationError } from "../errors/gameday-error.js";

/** The --break switches, checked and normalised: one rule for the process and the compose sandbox. */
export function validBreaks(breaks: string[]): Break[] {
  const unknown = breaks.filter((b) => !breakSchema.safeParse(b).success);
  if (unknown.length > 0)
    throw new ValidationError([
      {
        file: "--break",
        path: "",
        message: `unknown switch ${unknown.join(", ")} (expected ${BREAKS.join(", ")})`,
      },
    ]);
  return normalizeBreaks(breaks as Break[]);
}
