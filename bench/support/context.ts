import type { Peer } from "./chaostoolkit.js";
import type { PrivateStack } from "./private-stack.js";
import type { Workspace } from "./workspace.js";

/** What every bench gets: the private stack, a temp workspace, the peer (if any) and the mode. */
export interface BenchContext {
  stack: PrivateStack;
  ws: Workspace;
  peer: Peer;
  quick: boolean;
  /** Progress lines on stderr, so stdout stays the report. */
  log(message: string): void;
}

/** Fails a bench loudly when a run left anything in Toxiproxy, then cleans up for the next one. */
export async function assertClean(ctx: BenchContext, after: string): Promise<void> {
  const left = await ctx.stack.leftovers();
  if (left.length) {
    await ctx.stack.reset();
    throw new Error(`${after} left this in Toxiproxy: ${left.join(", ")}`);
  }
}
