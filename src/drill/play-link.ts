import { processAlive } from "../store/process-alive.js";
import { DrillEndedError, UnknownResponderError } from "./drill-errors.js";
import { DrillFolder } from "./drill-state.js";

/**
 * The address of a responder's drill view: the responder API's /play with the token in the
 * #fragment, which the browser keeps to itself (no request line, no server log, no Referer has
 * it). Works while the drill runs, and after its end while `--keep-view` keeps the view up.
 */
export function playLink(stateDir: string, responder: string | undefined, id?: string): string {
  const folder = DrillFolder.find(stateDir, id);
  const info = folder.readInfo();
  const tokens = folder.readTokens().responders;
  if (responder === undefined || !Object.hasOwn(tokens, responder))
    throw new UnknownResponderError(
      `unknown responder "${String(responder ?? "").slice(0, 60)}" in drill ${info.id}: its responders are ${Object.keys(tokens).join(", ")} (pass --as <name>)`,
    );
  if (!processAlive(info.pid)) {
    const e = new DrillEndedError("the view");
    e.message = `drill ${info.id} has ended and its view is closed (start a drill with --keep-view to keep it up after the end)`;
    throw e;
  }
  return `${info.url}/play#token=${encodeURIComponent(tokens[responder] as string)}`;
}
