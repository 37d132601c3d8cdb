import { PassThrough } from "node:stream";
import type Docker from "dockerode";

export interface ExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command in a running container and waits (bounded) for it; output is demultiplexed. */
export async function execIn(
  docker: Docker,
  id: string,
  cmd: string[],
  opts: { timeoutMs?: number } = {},
): Promise<ExecResult> {
  const exec = await docker
    .getContainer(id)
    // Never privileged: the binary comes from the container's own PATH, which gameday does not control.
    .exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Privileged: false });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = "";
  let stderr = "";
  out.on("data", (d) => (stdout += d));
  err.on("data", (d) => (stderr += d));
  docker.modem.demuxStream(stream, out, err);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new Error(`${cmd[0]} in container ${id.slice(0, 12)} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    stream.on("end", () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on("close", () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  const info = await exec.inspect();
  return { exitCode: info.ExitCode, stdout, stderr };
}

/**
 * Starts a command detached: it belongs to the container, not to this connection, so it outlives a
 * gameday killed with SIGKILL (which is why every helper we start this way has its own deadline).
 */
export async function execDetached(docker: Docker, id: string, cmd: string[]): Promise<void> {
  const exec = await docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: false, AttachStderr: false });
  await exec.start({ Detach: true });
}
