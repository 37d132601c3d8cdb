import { z } from "zod";

/** Bounds a URL field: long enough for any real endpoint, short enough never to be a payload. */
export const MAX_URL_LENGTH = 2048;

/**
 * What is wrong with `text` as an endpoint gameday may call, or undefined: http or https only
 * (never javascript:, file:, data:), a host, and no user:password (credentials come from a file
 * or a named variable, see the targets file's auth and secrets, so they never sit in a URL).
 */
export function httpUrlProblem(text: string): string | undefined {
  if (text.length > MAX_URL_LENGTH) return `expected a URL of at most ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'expected an http(s) URL, such as "http://127.0.0.1:8080/path"';
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return `expected an http or https URL, found the scheme "${url.protocol.slice(0, 20)}"`;
  if (!url.hostname) return "expected a URL with a host";
  if (url.username || url.password)
    return "expected a URL without user:password (give credentials as auth from a file or a variable in the targets file)";
  return undefined;
}

/** A string field that must be an http(s) URL (the message says which rule it broke). */
export const httpUrl = z
  .string()
  .min(1)
  // The pattern also puts the scheme rule into the published JSON Schema (editors flag `file:` early).
  .regex(/^[Hh][Tt][Tt][Pp][Ss]?:\/\/\S+$/, {
    error: (iss) =>
      httpUrlProblem(String(iss.input)) ?? 'expected an http(s) URL, such as "http://127.0.0.1:8080/path"',
  })
  .superRefine((text, ctx) => {
    if (!/^https?:\/\/\S+$/i.test(text)) return; // the pattern above already said why
    const problem = httpUrlProblem(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe("an http or https URL");

/** host:port as a URL reaches it (default ports filled in), lower-case, for allow-list checks. */
export function hostOf(url: URL): { hostname: string; port: string } {
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return { hostname: url.hostname.toLowerCase(), port };
}
