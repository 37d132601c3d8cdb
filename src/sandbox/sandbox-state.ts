import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { breakSchema } from "../../sandbox-services/lib/breaks.js";
import { SERVICE_NAMES } from "../../sandbox-services/lib/topology.js";
import { InfrastructureError } from "../errors/gameday-error.js";
import { type SandboxLayout, sandboxPortsSchema } from "./sandbox-layout.js";

export const COMPONENT_NAMES = ["toxiproxy", ...SERVICE_NAMES, "prometheus"] as const;
export const componentNameSchema = z.enum(COMPONENT_NAMES);
export type ComponentName = z.infer<typeof componentNameSchema>;

const componentRecordSchema = z.strictObject({
  pid: z
    .number()
    .int()
    .positive()
    .nullable()
    .describe("null when the component was already there (external)"),
  owned: z.boolean().describe("started by this sandbox, so `down` stops it"),
  argv: z.array(z.string()).describe("the command line, to recognise the process before signalling it"),
  logFile: z.string().nullable(),
  startedAt: z.string().nullable(),
});
export type ComponentRecord = z.infer<typeof componentRecordSchema>;

export const sandboxStateSchema = z.strictObject({
  version: z.literal(1),
  ports: sandboxPortsSchema,
  breaks: z.array(breakSchema),
  components: z.partialRecord(componentNameSchema, componentRecordSchema),
});
export type SandboxState = z.infer<typeof sandboxStateSchema>;

export function readState(layout: Pick<SandboxLayout, "statePath">): SandboxState | undefined {
  if (!existsSync(layout.statePath)) return undefined;
  const parsed = sandboxStateSchema.safeParse(JSON.parse(readFileSync(layout.statePath, "utf8")));
  if (!parsed.success) {
    throw new InfrastructureError(
      `${layout.statePath} is not a sandbox state file (${parsed.error.issues[0]?.message}); ` +
        "stop the processes it names by hand and delete it",
    );
  }
  return parsed.data;
}

/** Written through a rename, so a crash mid-write never leaves half a file (and lost pids). */
export function writeState(layout: Pick<SandboxLayout, "statePath" | "stateDir">, state: SandboxState): void {
  mkdirSync(layout.stateDir, { recursive: true });
  const tmp = `${layout.statePath}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, layout.statePath);
}

export function removeState(layout: Pick<SandboxLayout, "statePath">): void {
  rmSync(layout.statePath, { force: true });
}
