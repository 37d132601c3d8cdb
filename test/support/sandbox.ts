import { join } from "node:path";
import type { Break } from "../../src/sandbox/sandbox-stack.js";
import { sandboxUp } from "../../src/sandbox/sandbox-stack.js";
import { REPO } from "./cli.js";

/** The one sandbox stack the integration tests share (the same state dir `npm run demo` uses). */
export const SANDBOX_STATE_DIR = join(REPO, ".gameday", "sandbox");

/** Starts the real stack if needed (idempotent); with other breaks, restarts just the services. */
export async function ensureSandbox(breaks: Break[] = []): Promise<void> {
  await sandboxUp({ stateDir: SANDBOX_STATE_DIR, breaks });
}
