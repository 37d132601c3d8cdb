import { ApiException } from "@kubernetes/client-node";

/** The API server's status code, or undefined for a transport error. */
export function statusOf(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : undefined;
}

export const isNotFound = (err: unknown) => statusOf(err) === 404;

function serverMessage(err: ApiException<unknown>): string {
  const body = typeof err.body === "string" ? safeJson(err.body) : err.body;
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === "string" ? message : (err.message.split("\n")[0] ?? "");
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

/**
 * One line naming what was attempted; a 403 names the verb and resource so the missing RBAC rule is
 * obvious (`cannot patch deployments in shop`), and says so before the server's own words.
 */
export function kubeErrorText(err: unknown, verb: string, resource: string, namespace: string): string {
  if (err instanceof ApiException) {
    const what = `${verb} ${resource} in namespace ${namespace}`;
    if (err.code === 403) return `RBAC forbids ${what} (403 Forbidden: ${serverMessage(err)})`;
    return `${what} failed with HTTP ${err.code}: ${serverMessage(err)}`;
  }
  const e = err as Error & { code?: string };
  return `${verb} ${resource} in namespace ${namespace} failed: ${e.code ? `${e.code} ` : ""}${e.message}`;
}
