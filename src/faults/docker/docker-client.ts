import Docker from "dockerode";
import { PreflightError } from "../../errors/gameday-error.js";

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The Engine's own "No such container" answer (404), which a revert treats as "vanished". */
export function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number }).statusCode === 404;
}

/** A Docker Engine client with a deadline on every call, so neither preflight nor rollback can hang. */
export function dockerClient(socket: string, timeoutMs = 15_000): Docker {
  return new Docker({ socketPath: socket, timeout: timeoutMs });
}

/** Preflight: the Engine answers on its socket, or a clear error that names the socket tried. */
export async function pingEngine(docker: Docker, socket: string): Promise<void> {
  try {
    await docker.ping();
  } catch (err) {
    throw new PreflightError(
      `no Docker Engine answers on ${socket} (${errorText(err)}); start dockerd, or set the target's docker.socket`,
      { cause: err },
    );
  }
}

/** The container's state now, or undefined when it no longer exists. */
export async function inspectOrUndefined(
  docker: Docker,
  id: string,
): Promise<Docker.ContainerInspectInfo | undefined> {
  try {
    return await docker.getContainer(id).inspect();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
