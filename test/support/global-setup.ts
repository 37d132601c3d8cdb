import { sandboxDown, sandboxStatus } from "../../src/sandbox/sandbox-stack.js";
import { gamedayLeftovers } from "./gameday-leftovers.js";
import { SANDBOX_STATE_DIR } from "./sandbox.js";

/**
 * Test files start the shared stack on demand. At the end, stop it only if it was not already
 * running when this vitest run began: a second run (or `npm run demo -- --keep`) must not lose it.
 * Then fail the run if it left any test container, owner marker or namespace engine behind.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const before = await sandboxStatus({ stateDir: SANDBOX_STATE_DIR });
  const wasUp = before.recorded && before.components.some((c) => c.running);
  const existing = new Set(await gamedayLeftovers());
  return async () => {
    if (!wasUp) await sandboxDown({ stateDir: SANDBOX_STATE_DIR });
    const left = (await gamedayLeftovers()).filter((l) => !existing.has(l));
    if (left.length > 0) throw new Error(`the tests left these behind:\n  ${left.join("\n  ")}`);
  };
}
