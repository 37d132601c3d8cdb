/**
 * The one redaction function: everything gameday prints, journals or reports passes through it.
 * It masks what a pattern can recognise (the password of any URL with user:pass@, the value of an
 * Authorization header or field) and every secret value this process has read from a file or a
 * named variable (registered by whoever read it).
 */

export const MASK = "***";

/** Shorter values would mask ordinary words and numbers; a credential is never this short. */
const MIN_SECRET_LENGTH = 4;

const secrets = new Set<string>();
let ordered: string[] = [];

/** Registers a secret value (and its URL-encoded form) so no later output contains it. */
export function registerSecret(value: string | undefined): void {
  if (value === undefined || value.length < MIN_SECRET_LENGTH) return;
  const forms = [value, encodeURIComponent(value), Buffer.from(value).toString("base64")];
  let added = false;
  for (const form of forms)
    if (!secrets.has(form)) {
      secrets.add(form);
      added = true;
    }
  // Longest first, so a secret containing another is masked whole.
  if (added) ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/** For tests: forget every registered secret. */
export function clearSecrets(): void {
  secrets.clear();
  ordered = [];
}

/** scheme://user:password@host: the password is masked, the user is kept (it helps debugging). */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@"'<>]*):([^\s/@"'<>]+)@/gi;
/** `Authorization: Bearer x`, `"authorization":"Basic x"`, `authorization=x`. */
const AUTHORIZATION = /\b((?:proxy-)?authorization"?\s*[:=]\s*"?)(?:(bearer|basic|token)\s+)?([^\s",}]+)/gi;

export function redact(text: string): string {
  if (text.length === 0) return text;
  let out = text;
  for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(MASK);
  out = out.replace(URL_PASSWORD, (_m, head: string) => `${head}:${MASK}@`);
  out = out.replace(
    AUTHORIZATION,
    (_m, head: string, scheme: string | undefined) => `${head}${scheme ? `${scheme} ` : ""}${MASK}`,
  );
  return out;
}

/** The same, over every string of a JSON-like value (journal data, run records); keys named like credentials are masked whole. */
export function redactDeep<T>(value: T): T {
  return walk(value, 0) as T;
}

const SECRET_KEY = /^(authorization|password|token|secret|bearer|apiKey|api_key)$/i;

function walk(value: unknown, depth: number): unknown {
  if (typeof value === "string") return redact(value);
  if (depth > 64 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEY.test(k) && typeof v === "string" ? MASK : walk(v, depth + 1);
  return out;
}

/**
 * Routes every write of this process's stdout and stderr through redact(): CLI messages,
 * reporters, and any library that prints an error with a URL in it.
 */
export function redactProcessOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text =
        typeof chunk === "string"
          ? chunk
          : chunk instanceof Uint8Array
            ? Buffer.from(chunk).toString()
            : chunk;
      return original(typeof text === "string" ? redact(text) : text, ...rest);
    }) as typeof stream.write;
  }
}
