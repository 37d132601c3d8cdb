import { dirname } from "node:path";
import type { RunStore } from "../interfaces/run-store.js";
import { LocalRunStore } from "../store/local-run-store.js";
import { buildRunView, type RunView, withPrevious } from "./run-view.js";

/** The previous finished run of the same experiment (started earlier), with a folder to read. */
export async function previousRun(store: RunStore, view: RunView): Promise<RunView | undefined> {
  const prev = (await store.list()).find(
    (r) =>
      r.experiment === view.experiment &&
      r.runId !== view.runId &&
      r.startedAt < view.startedAt &&
      r.status === "finished" &&
      r.dir !== undefined,
  );
  return prev?.dir ? buildRunView(prev.dir, prev) : undefined;
}

/** A run folder's view with the comparison against the run history (the state folder it lives in by default). */
export async function loadRunView(dir: string, store?: RunStore): Promise<RunView> {
  const view = buildRunView(dir);
  // <state>/runs/<id>: the state folder is two levels up.
  const history = store ?? new LocalRunStore(dirname(dirname(dir)));
  try {
    return withPrevious(view, await previousRun(history, view));
  } catch (err) {
    view.problems.push(`the run history could not be read: ${(err as Error).message}`);
    return view;
  }
}
