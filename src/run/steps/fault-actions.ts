import type { FaultSpec } from "../../experiment/schema.js";
import type { RunContext } from "../run-context.js";

/** Journal first, then inject: a crash between the two still leaves a record to recover from. */
export async function injectFault(ctx: RunContext, fault: FaultSpec): Promise<void> {
  const injector = ctx.injectors.for(fault);
  // A reaped lease means a janitor may be reverting this run right now: inject nothing more.
  await ctx.fence();
  ctx.touched.add(injector.family);
  ctx.journal.write("fault.injecting", { fault: fault.name, family: injector.family, spec: fault });
  const active = await injector.inject(fault, {
    runId: ctx.runId,
    experiment: ctx.experiment.metadata.name,
    installation: ctx.installation,
  });
  ctx.active.set(fault.name, active);
  ctx.timeline.faults[fault.name] = { start: Date.now() };
  ctx.journal.write("fault.injected", {
    fault: fault.name,
    ownerTag: active.ownerTag,
    description: active.description,
  });
}

/** Reverted means verified gone; until then the journal says "reverting". Returns an error text or undefined. */
export async function revertFault(ctx: RunContext, name: string): Promise<string | undefined> {
  const active = ctx.active.get(name);
  if (!active) return undefined;
  ctx.journal.write("fault.reverting", { fault: name, ownerTag: active.ownerTag });
  try {
    await active.revert();
    await active.verifyReverted();
  } catch (err) {
    const message = `${active.description}: ${(err as Error).message}`;
    ctx.journal.write("fault.revert-failed", { fault: name, ownerTag: active.ownerTag, error: message });
    return message;
  }
  ctx.active.delete(name);
  const window = ctx.timeline.faults[name];
  if (window) window.end = Date.now();
  ctx.journal.write("fault.reverted", { fault: name, ownerTag: active.ownerTag });
  return undefined;
}
