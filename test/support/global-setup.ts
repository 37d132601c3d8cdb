import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { sandboxDown, sandboxStatus } from "../../src/sandbox/sandbox-stack.js";
import { gamedayLeftovers, newLeftovers } from "./gameday-leftovers.js";
import { SANDBOX_OWNER_FILE, SANDBOX_STATE_DIR } from "./sandbox.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** This vitest run's token; ensureSandbox writes it next to the stack it used. */
    sandboxRunToken: string;
  }
}

/**
 * Test files start the shared stack on demand. At the end, stop it only if it was not already
 * running when this vitest run began AND this run used it last (ensureSandbox left our token): a
 * second run (or `npm run demo -- --keep`) must not lose it, and neither must a locked integration
 * run when a unit-test run that never touched the stack ends beside it.
 * Then fail the run if it left any test container, owner marker or namespace engine behind.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const token = randomUUID();
  project.provide("sandboxRunToken", token);
  const before = await sandboxStatus({ stateDir: SANDBOX_STATE_DIR });
  const wasUp = before.recorded && before.components.some((c) => c.running);
  const existing = await gamedayLeftovers();
  return async () => {
    const usedLast = (() => {
      try {
        return readFileSync(SANDBOX_OWNER_FILE, "utf8").trim() === token;
      } catch {
        return false;
      }
    })();
    if (!wasUp && usedLast) await sandboxDown({ stateDir: SANDBOX_STATE_DIR });
    // scripts/test.sh checks around both lanes at once (test/support/leftovers-cli.ts).
    if (process.env.GAMEDAY_LEFTOVERS_OUTER === "1") return;
    const left = await newLeftovers(existing);
    if (left) throw new Error(left);
  };
}
