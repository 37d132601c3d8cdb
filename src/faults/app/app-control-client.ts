import { z } from "zod";
import {
  type ActiveAppFault,
  type ApplyRequest,
  activeAppFaultSchema,
  appStateSchema,
  type FaultsList,
  faultsListSchema,
} from "../../../sandbox-services/lib/control/app-fault-contract.js";
import { errorText } from "../revert-error.js";

const MAX_ANSWER_BYTES = 256 * 1024;

export class ControlHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const applyAnswerSchema = z.object({ fault: activeAppFaultSchema, state: appStateSchema });

/**
 * The app-fault control contract from the caller's side: GET /faults, PUT and DELETE
 * /faults/<id>, with the bearer token. The token is read when first needed (registered with the
 * redactor by readCredential) and never appears in an error: errors name the URL and the status.
 */
export class AppControlClient {
  private tokenValue: string | undefined;

  constructor(
    readonly url: string,
    private readonly token: () => string,
    private readonly timeoutMs = 3000,
  ) {}

  async list(): Promise<FaultsList> {
    return faultsListSchema.parse(await this.request("GET", "/faults"));
  }

  async apply(id: string, body: ApplyRequest): Promise<ActiveAppFault> {
    return applyAnswerSchema.parse(await this.request("PUT", `/faults/${encodeURIComponent(id)}`, body))
      .fault;
  }

  /** "removed", or "absent" when the service no longer has it (a 404): either way it is not there. */
  async remove(id: string): Promise<"removed" | "absent"> {
    try {
      await this.request("DELETE", `/faults/${encodeURIComponent(id)}`);
      return "removed";
    } catch (err) {
      if (err instanceof ControlHttpError && err.status === 404) return "absent";
      throw err;
    }
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    this.tokenValue ??= this.token();
    const res = await fetch(`${this.url.replace(/\/+$/, "")}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.tokenValue}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
      redirect: "error",
    }).catch((err: unknown) => {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new Error(`control endpoint ${this.url} does not answer (${cause ?? errorText(err)})`);
    });
    const text = await res.text();
    if (text.length > MAX_ANSWER_BYTES)
      throw new Error(`control endpoint ${this.url} answered more than ${MAX_ANSWER_BYTES} bytes`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const said = (json as { error?: unknown } | undefined)?.error;
      const detail = typeof said === "string" ? `: ${said.slice(0, 300)}` : "";
      throw new ControlHttpError(
        res.status,
        `${method} ${this.url}${path} answered HTTP ${res.status}${detail}`,
      );
    }
    if (json === undefined)
      throw new Error(`control endpoint ${this.url} answered something that is not JSON`);
    return json;
  }
}
