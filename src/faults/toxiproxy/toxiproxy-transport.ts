import { Toxiproxy, ToxiproxyError } from "toxiproxy-node-client";
import { BODY_LIMITS, readBodyCapped } from "../../probes/read-body.js";

/**
 * The client's transport class, reached through its public API: `Toxiproxy#getApi()` returns the
 * instance `Toxic` and `Proxy` call, and `Toxiproxy#api` is public and meant to be replaced. The
 * package's index does not export the class itself, and importing its dist/ file would tie us to
 * the package's file layout.
 */
type HttpClient = ReturnType<Toxiproxy["getApi"]>;
type HttpResponse<T> = Awaited<ReturnType<HttpClient["get"]>> & { data: T };
const HttpClientBase = new Toxiproxy("http://127.0.0.1").getApi().constructor as new () => HttpClient;

/** A failed call to the Toxiproxy API, keeping what the client's own error drops: status, server text, cause. */
export class ToxiproxyHttpError extends ToxiproxyError {
  readonly method: string;
  readonly url: string;
  /** HTTP status; undefined when no answer came (refused, timed out). */
  readonly status: number | undefined;
  /** Toxiproxy's `{"error": ...}` text, e.g. "toxic already exists" or "proxy not found". */
  readonly serverError: string | undefined;

  constructor(method: string, url: string, status: number | undefined, detail: string, cause?: unknown) {
    super("ToxiproxyHttpError", `${method} ${url}: ${status === undefined ? "" : `${status} `}${detail}`);
    this.method = method;
    this.url = url;
    this.status = status;
    this.serverError = status === undefined ? undefined : detail;
    if (cause !== undefined) this.cause = cause;
  }
}

/** "connect ECONNREFUSED 127.0.0.1:1" rather than fetch's bare "fetch failed". */
function networkCause(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && err.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
  const inner = err instanceof Error ? err.cause : undefined;
  if (inner instanceof Error) return inner.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Replaces toxiproxy-node-client's transport (its public `api` field): same calls, but every request
 * has a deadline (a rollback must never hang) and failures carry the status and Toxiproxy's message.
 */
export class ToxiproxyTransport extends HttpClientBase {
  constructor(private readonly timeoutMs: number) {
    super();
  }

  override get<T>(url: string): Promise<HttpResponse<T>> {
    return this.send<T>("GET", url);
  }

  override post<T>(url: string, body?: unknown): Promise<HttpResponse<T>> {
    return this.send<T>("POST", url, body);
  }

  override async delete(url: string): Promise<void> {
    await this.send("DELETE", url);
  }

  override async getText(url: string): Promise<string> {
    return (await this.exchange("GET", url)).text;
  }

  private async send<T>(method: string, url: string, body?: unknown): Promise<HttpResponse<T>> {
    const { text } = await this.exchange(method, url, body);
    try {
      return { data: (text ? JSON.parse(text) : undefined) as T };
    } catch (err) {
      // A 2xx that is not JSON: the URL points at some other HTTP server.
      throw new ToxiproxyHttpError(
        method,
        url,
        undefined,
        `answer is not JSON, is this Toxiproxy? (${text.slice(0, 80)})`,
        err,
      );
    }
  }

  private async exchange(method: string, url: string, body?: unknown): Promise<{ text: string }> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method,
        signal: AbortSignal.timeout(this.timeoutMs),
        // Never follow: Toxiproxy's router answers a path holding ../ (decoded from a name) with a 301 to
        // the cleaned path, and following it would send this DELETE to another resource.
        redirect: "manual",
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
      });
      text = await readBodyCapped(res, BODY_LIMITS.toxiproxy);
    } catch (err) {
      throw new ToxiproxyHttpError(method, url, undefined, networkCause(err, this.timeoutMs), err);
    }
    if (!res.ok) throw new ToxiproxyHttpError(method, url, res.status, serverError(text) ?? res.statusText);
    return { text };
  }
}

function serverError(text: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && "error" in parsed) return String(parsed.error);
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim() || undefined;
}
