import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { writeAbortRequest } from "./abort-request.js";

/** A console request to a worker, published on the queue's control channel. */
export const controlMessageSchema = z.object({
  action: z.literal("abort"),
  runId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/),
  by: z.string().max(200).default("console"),
});
export type ControlMessage = z.infer<typeof controlMessageSchema>;

/** The control channel of a queue prefix. */
export const controlChannel = (prefix: string) => `${prefix}:gd:control`;

/**
 * A worker's side of a console abort: if the run is in this worker's state folder and has not
 * ended, write its abort request (the run stops as on SIGINT). Anything else is ignored.
 */
export function applyControl(raw: string, stateDir: string): string | undefined {
  let msg: ControlMessage;
  try {
    msg = controlMessageSchema.parse(JSON.parse(raw));
  } catch {
    return undefined;
  }
  const dir = join(stateDir, "runs", msg.runId);
  if (!existsSync(join(dir, "journal.jsonl")) || existsSync(join(dir, "run.json"))) return undefined;
  writeAbortRequest(dir, { by: msg.by, at: Date.now() });
  return msg.runId;
}
