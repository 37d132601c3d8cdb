import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Break, SandboxEndpoints } from "../../src/sandbox/sandbox-stack.js";
import { sandboxUp } from "../../src/sandbox/sandbox-stack.js";
import { REPO } from "./cli.js";
import { shiftTargetsText } from "./shift-targets.js";

/**
 * This test process's port offset: 0 for the sandbox lane (the stack `npm run demo` uses), another
 * for a lane of its own beside it (scripts/test.sh; sandboxUp reads the same variable).
 */
export const SANDBOX_PORT_OFFSET = Number(process.env.GAMEDAY_SANDBOX_PORT_OFFSET ?? 0);

/** The one sandbox stack the integration tests of this process share. */
export const SANDBOX_STATE_DIR = join(
  REPO,
  ".gameday",
  SANDBOX_PORT_OFFSET ? `sandbox-${SANDBOX_PORT_OFFSET}` : "sandbox",
);

/** A state folder for runs against that stack, `.gameday` itself at offset 0 (relative to REPO). */
export const SANDBOX_RUN_STATE_DIR = SANDBOX_PORT_OFFSET
  ? `.gameday/runs-${SANDBOX_PORT_OFFSET}`
  : ".gameday";

/** The checkout's targets.yaml for this process's stack: the file itself at offset 0, else a moved copy. */
let movedTargets: string | undefined;
export function sandboxTargetsFile(): string {
  if (!SANDBOX_PORT_OFFSET) return "targets.yaml";
  if (movedTargets) return movedTargets;
  const file = join(REPO, SANDBOX_RUN_STATE_DIR, "targets.yaml");
  mkdirSync(join(REPO, SANDBOX_RUN_STATE_DIR), { recursive: true });
  const token = relative(REPO, join(SANDBOX_STATE_DIR, "control-token"));
  writeFileSync(
    file,
    shiftTargetsText(readFileSync(join(REPO, "targets.yaml"), "utf8"), SANDBOX_PORT_OFFSET, token),
  );
  movedTargets = relative(REPO, file);
  return movedTargets;
}
/** The token of the vitest run that used the stack last (global-setup stops only a stack it used). */
export const SANDBOX_OWNER_FILE = join(SANDBOX_STATE_DIR, "test-run-token");

/** Starts the real stack if needed (idempotent); with other breaks, restarts just the services. */
export async function ensureSandbox(breaks: Break[] = []): Promise<SandboxEndpoints> {
  try {
    return await sandboxUp({ stateDir: SANDBOX_STATE_DIR, breaks });
  } finally {
    // Even a failed start may leave components running that this run must stop at its end. vitest
    // is imported here, not at the top: global-setup (outside any worker) imports this file too.
    const { inject } = await import("vitest");
    mkdirSync(SANDBOX_STATE_DIR, { recursive: true });
    writeFileSync(SANDBOX_OWNER_FILE, `${inject("sandboxRunToken")}\n`);
  }
}
