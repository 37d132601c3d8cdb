import type { ResolvedTelemetry } from "../../interfaces/trace-sink.js";
import { loadTargets } from "../../targets/targets-loader.js";
import { resolveTelemetry } from "../../targets/telemetry-credentials.js";

/**
 * The targets file's telemetry as `gameday run` and `gameday plan` both see it, its header secrets
 * read (a ValidationError, exit 2, before anything runs or is shown); undefined when none is set.
 */
export async function plannedTelemetry(
  targetsOption: string | undefined,
): Promise<ResolvedTelemetry | undefined> {
  return resolveTelemetry(await loadTargets(targetsOption));
}
