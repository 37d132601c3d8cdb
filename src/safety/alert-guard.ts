import { AlertGuardError } from "../errors/alert-guard-error.js";
import { clip } from "../errors/gameday-error.js";
import { type ActiveAlert, PrometheusClient } from "../probes/prometheus-client.js";
import type { Target } from "../targets/targets-schema.js";

const TIMEOUT_MS = 5000;

/**
 * The target's alert guard: reads the firing alerts from its Prometheus and refuses (exit 4)
 * when a named one fires. Fails closed: a Prometheus that cannot be read refuses as well, since
 * "no answer" is no evidence that nothing is on fire.
 */
export async function checkAlertGuard(targetName: string, target: Target): Promise<void> {
  const names = target.guards?.alerts?.names;
  if (!names?.length) return;
  // The schema requires a prometheus; a target built in code without one is refused rather than let through.
  const prometheus = PrometheusClient.forTarget(target);
  if (!prometheus)
    throw new AlertGuardError(
      `refused: target ${targetName} has an alert guard but no prometheus to read it from`,
    );
  let active: ActiveAlert[];
  try {
    active = await prometheus.alerts(TIMEOUT_MS);
  } catch (err) {
    const why = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new AlertGuardError(
      `refused: the alert guard of target ${targetName} cannot read ${prometheus.alertsUrl} (${clip(why, 200)}); ` +
        `it fails closed, so nothing was touched. Guarded alerts: ${names.join(", ")}`,
      { cause: err },
    );
  }
  const wanted = new Set(names);
  const firing = [
    ...new Set(
      active
        .filter((a) => a.state === "firing" && wanted.has(a.labels.alertname ?? ""))
        .map((a) => a.labels.alertname as string),
    ),
  ];
  if (firing.length)
    throw new AlertGuardError(
      `refused: alert${firing.length === 1 ? "" : "s"} ${firing.join(", ")} firing on ${prometheus.url} ` +
        `(the alert guard of target ${targetName}); nothing was touched`,
    );
}
