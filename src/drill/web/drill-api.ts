/// <reference lib="dom" />

const KEY = "gameday-drill-token";

/**
 * The responder's token: from the URL's #fragment (never sent to a server), then kept in this
 * tab's session storage and dropped from the address bar, so a reload still works and a
 * screenshot or a shared screen does not show it.
 */
export function takeToken(): string | undefined {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const fromUrl = fragment.get("token") ?? undefined;
  if (fromUrl) {
    sessionStorage.setItem(KEY, fromUrl);
    history.replaceState(null, "", location.pathname + location.search);
    return fromUrl;
  }
  return sessionStorage.getItem(KEY) ?? undefined;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** One call of the responder API with the bearer token; its refusals as ApiError with the API's words. */
export async function api<T>(
  token: string,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "the drill does not answer (it may have ended)");
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError(res.status, `HTTP ${res.status}`);
  }
  if (!res.ok)
    throw new ApiError(res.status, String((parsed as { error?: unknown }).error ?? `HTTP ${res.status}`));
  return parsed as T;
}
