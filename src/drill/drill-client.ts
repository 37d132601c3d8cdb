import { InfrastructureError } from "../errors/gameday-error.js";
import { processAlive } from "../store/process-alive.js";
import { DrillEndedError, DrillRequestError, UnknownResponderError } from "./drill-errors.js";
import { DrillFolder } from "./drill-state.js";

/**
 * The CLI side of a live drill: the address and the caller's token from the drill's state folder,
 * one HTTP call, and the API's refusals as the CLI's errors (403 exit 2, 400 exit 2, 409 exit 4).
 */
export class DrillClient {
  private constructor(
    readonly folder: DrillFolder,
    private readonly url: string,
    private readonly token: string,
  ) {}

  static open(
    stateDir: string,
    who: { responder?: string | undefined; organizer?: boolean },
    id?: string,
  ): DrillClient {
    const folder = DrillFolder.find(stateDir, id);
    const info = folder.readInfo();
    const tokens = folder.readTokens();
    let token: string | undefined;
    if (who.organizer) token = tokens.organizer;
    else if (who.responder !== undefined && Object.hasOwn(tokens.responders, who.responder))
      token = tokens.responders[who.responder];
    if (token === undefined)
      throw new UnknownResponderError(
        `unknown responder "${String(who.responder ?? "").slice(0, 60)}" in drill ${info.id}: its responders are ${Object.keys(tokens.responders).join(", ")} (pass --as <name>)`,
      );
    if (info.status === "ended" || !processAlive(info.pid))
      throw new DrillEndedError(`drill ${info.id}: the request`);
    return new DrillClient(folder, info.url, token);
  }

  async call(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      throw new InfrastructureError(`the drill at ${this.url} does not answer: ${(err as Error).message}`);
    }
    const text = await res.text();
    let parsed: { error?: string } & Record<string, unknown>;
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw new InfrastructureError(`the drill at ${this.url} answered HTTP ${res.status} without JSON`);
    }
    if (res.ok) return parsed;
    const message = String(parsed.error ?? `HTTP ${res.status}`);
    if (res.status === 403) throw new UnknownResponderError(message);
    if (res.status === 409) {
      const e = new DrillEndedError("the request");
      e.message = message;
      throw e;
    }
    if (res.status >= 400 && res.status < 500) throw new DrillRequestError(message);
    throw new InfrastructureError(`the drill answered HTTP ${res.status}: ${message}`);
  }
}
