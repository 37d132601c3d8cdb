/** Response bodies gameday reads are small (a JSON answer, a /metrics page): these caps keep a hostile or broken endpoint from filling memory. */
export const BODY_LIMITS = {
  /** An http probe only needs the status: read this much, then stop. */
  probe: 64 * 1024,
  /** A /metrics exposition of a service. */
  scrape: 8 * 1024 * 1024,
  /** A Prometheus instant-query answer. */
  prometheus: 8 * 1024 * 1024,
  /** A Toxiproxy API answer. */
  toxiproxy: 4 * 1024 * 1024,
} as const;

export class BodyTooLargeError extends Error {
  readonly code = "E_BODY_TOO_LARGE";
}

/**
 * Reads at most `max` bytes of a response body as UTF-8. Above the cap the stream is cancelled
 * and, unless `truncate`, a BodyTooLargeError is thrown (a probe that only wants the status passes
 * truncate: the rest is simply never read).
 */
export async function readBodyCapped(res: Response, max: number, truncate = false): Promise<string> {
  const declared = Number(res.headers.get("content-length") ?? Number.NaN);
  if (!truncate && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw new BodyTooLargeError(`response body of ${declared} bytes is above the limit of ${max}`);
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      if (truncate) {
        chunks.push(value.subarray(0, value.byteLength - (size - max)));
        break;
      }
      throw new BodyTooLargeError(`response body is above the limit of ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
