import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Waits (bounded) until some run's journal under stateDir says a fault is in the target. */
export async function waitForInjected(stateDir: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const runs = join(stateDir, "runs");
    for (const id of existsSync(runs) ? readdirSync(runs) : []) {
      const j = join(runs, id, "journal.jsonl");
      if (existsSync(j) && readFileSync(j, "utf8").includes('"fault.injected"')) return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no fault was injected within ${timeoutMs} ms (state dir ${stateDir})`);
}
