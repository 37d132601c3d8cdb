import { z } from "zod";
import { readInputFileSync } from "../experiment/read-input.js";
import { registerSecret } from "../redact/redact.js";

/** An environment variable name, as the targets file may list it. */
export const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, { error: "expected a variable name (letters, digits, _)" });

/**
 * Where a secret comes from: a file (a mounted Kubernetes or Docker secret) or a named environment
 * variable. Never the value itself: a targets file is committed, shown and shipped in jobs.
 */
export const credentialSourceSchema = z
  .union([
    z.strictObject({ file: z.string().min(1).max(4096).describe("a file holding only the secret") }),
    z.strictObject({ env: envName.describe("an environment variable holding the secret") }),
  ])
  .describe("a secret from { file: path } or { env: NAME }");

/** Credentials for an HTTP source: a bearer token, or basic auth with a user and a password. */
export const httpAuthSchema = z
  .union([
    z.strictObject({ bearer: credentialSourceSchema }),
    z.strictObject({
      basic: z.strictObject({ username: z.string().min(1).max(256), password: credentialSourceSchema }),
    }),
  ])
  .describe("bearer: { file | env }, or basic: { username, password: { file | env } }");

export type CredentialSource = z.infer<typeof credentialSourceSchema>;
export type HttpAuth = z.infer<typeof httpAuthSchema>;

export class CredentialError extends Error {
  readonly code = "E_CREDENTIAL";
}

/**
 * The secret's value, registered with the redactor before anyone can print it. A file's trailing
 * newline is dropped (`echo token > file`). Errors say where the secret was looked for, never what
 * was found.
 */
export function readCredential(
  source: CredentialSource,
  env: Record<string, string | undefined> = process.env,
): string {
  let value: string | undefined;
  if ("file" in source) {
    try {
      value = readInputFileSync(source.file, "secret file").replace(/\r?\n$/, "");
    } catch {
      throw new CredentialError(`cannot read the secret file ${source.file}`);
    }
  } else {
    value = Object.hasOwn(env, source.env) ? env[source.env] : undefined;
    if (value === undefined) throw new CredentialError(`the environment variable ${source.env} is not set`);
  }
  if (value === "") throw new CredentialError(`the secret from ${describeSource(source)} is empty`);
  registerSecret(value);
  return value;
}

export function describeSource(source: CredentialSource): string {
  return "file" in source ? `file ${source.file}` : `variable ${source.env}`;
}

/** The Authorization header for `auth` (none without auth). */
export function authHeaders(auth: HttpAuth | undefined): Record<string, string> {
  if (!auth) return {};
  if ("bearer" in auth) return { authorization: `Bearer ${readCredential(auth.bearer)}` };
  const password = readCredential(auth.basic.password);
  const token = Buffer.from(`${auth.basic.username}:${password}`).toString("base64");
  registerSecret(token);
  return { authorization: `Basic ${token}` };
}
