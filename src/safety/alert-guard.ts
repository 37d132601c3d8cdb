import { AlertGuardError } from "../errors/alert-guard-error.js";
import { clip } from "../errors/gameday-error.js";
import { BODY_LIMITS, readBodyCapped } from "../probes/read-body.js";
import { authHeaders } from "../targets/credentials.js";
import type { Target } from "../targets/targets-schema.js";

interface AlertsResponse {
  status?: string;
  error?: string;
  data?: { alerts?: { labels?: Record<string, string>; state?: string }[] };
}

const TIMEOUT_MS = 5000;

/**
 * The target's alert guard: reads the firing alerts from its Prometheus and refuses (exit 4)
 * when a named one fires. Fails closed: a Prometheus that cannot be read refuses as well, since
 * "no answer" is no evidence that nothing is on fire.
 */
export async function checkAlertGuard(targetName: string, target: Target): Promise<void> {
  const names = target.guards?.alerts?.names;
  if (!names?.length) return;
  const prometheus = target.prometheus;
  // The schema requires it; a target built in code without one is refused rather than let through.
  if (!prometheus)
    throw new AlertGuardError(
      `refused: target ${targetName} has an alert guard but no prometheus to read it from`,
    );
  const url = `${prometheus.url}/api/v1/alerts`;
  let body: AlertsResponse;
  try {
    const res = await fetch(url, {
      headers: authHeaders(prometheus.auth),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: "error",
    });
    const text = await readBodyCapped(res, BODY_LIMITS.prometheus);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = JSON.parse(text) as AlertsResponse;
    if (body.status !== "success" || !Array.isArray(body.data?.alerts))
      throw new Error(`unexpected answer${body.error ? `: ${body.error}` : ""}`);
  } catch (err) {
    throw new AlertGuardError(
      `refused: the alert guard of target ${targetName} cannot read ${url} (${clip((err as Error).message, 200)}); ` +
        `it fails closed, so nothing was touched. Guarded alerts: ${names.join(", ")}`,
      { cause: err },
    );
  }
  const wanted = new Set(names);
  const firing = [
    ...new Set(
      (body.data?.alerts ?? [])
        .filter((a) => a.state === "firing" && wanted.has(a.labels?.alertname ?? ""))
        .map((a) => a.labels?.alertname as string),
    ),
  ];
  if (firing.length)
    throw new AlertGuardError(
      `refused: alert${firing.length === 1 ? "" : "s"} ${firing.join(", ")} firing on ${prometheus.url} ` +
        `(the alert guard of target ${targetName}); nothing was touched`,
    );
}
