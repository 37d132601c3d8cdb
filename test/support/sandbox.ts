import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Break, SandboxEndpoints } from "../../src/sandbox/sandbox-stack.js";
import { sandboxUp } from "../../src/sandbox/sandbox-stack.js";
import { REPO } from "./cli.js";

/** The one sandbox stack the integration tests share (the same state dir `npm run demo` uses). */
export const SANDBOX_STATE_DIR = join(REPO, ".gameday", "sandbox");
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
