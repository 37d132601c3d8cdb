import { randomBytes } from "node:crypto";

/** Sortable and free of dots, because it is embedded in owner tags `gameday.<runId>.<fault>`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");
  return `${stamp}-${randomBytes(3).toString("hex")}`.toLowerCase();
}
