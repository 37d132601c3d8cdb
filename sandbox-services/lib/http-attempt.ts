import { request } from "node:http";

export type AttemptOutcome = "success" | "error" | "timeout";

export interface AttemptResult {
  outcome: AttemptOutcome;
  status?: number;
  body?: string;
  detail?: string;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * One GET on a fresh connection. `agent: false` and `Connection: close` matter: Toxiproxy decides
 * toxicity (reset_peer toxicity 0.3, say) per connection, so a pooled connection would make one
 * coin flip count for many requests. Never rejects: the caller classifies the outcome.
 * A 5xx answer is an error (the dependency failed), anything else is a success.
 */
export function httpAttempt(
  url: URL,
  timeoutMs: number,
  headers: Record<string, string> = {},
): Promise<AttemptResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (r: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = request(
      url,
      { method: "GET", agent: false, headers: { ...headers, connection: "close" } },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size <= MAX_BODY_BYTES) chunks.push(c);
        });
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          const body = Buffer.concat(chunks).toString("utf8");
          settle(
            status >= 500
              ? { outcome: "error", status, body, detail: `HTTP ${status}` }
              : { outcome: "success", status, body },
          );
        });
        res.on("error", (err) => settle({ outcome: "error", detail: err.message }));
      },
    );
    // The timeout covers the whole exchange (connect, headers and body), and destroying the
    // request closes the socket, so a timed-out attempt leaves nothing behind.
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            settle({ outcome: "timeout", detail: `no answer within ${timeoutMs} ms` });
            req.destroy();
          }, timeoutMs)
        : undefined;
    req.on("error", (err) =>
      settle({ outcome: "error", detail: (err as NodeJS.ErrnoException).code ?? err.message }),
    );
    req.end();
  });
}
