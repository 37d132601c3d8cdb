import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { InfrastructureError } from "../../errors/gameday-error.js";
import { TOXIPROXY_VERSION } from "../tools.js";

const run = promisify(execFile);

let detected: Promise<string[]> | undefined;
/** Found once per process: each probe spawns `docker compose version`. */
const composeCommand = () => {
  detected ??= detectCompose();
  detected.catch(() => (detected = undefined)); // a missing compose may be installed meanwhile
  return detected;
};

/** Compose v2 (`docker compose`) when the plugin is installed, else v1 (`docker-compose`). */
async function detectCompose(): Promise<string[]> {
  try {
    await run("docker", ["compose", "version"], { timeout: 10_000 });
    return ["docker", "compose"];
  } catch {
    try {
      await run("docker-compose", ["version"], { timeout: 10_000 });
      return ["docker-compose"];
    } catch {
      throw new InfrastructureError(
        "neither `docker compose` nor `docker-compose` is installed (the setup installs Debian's docker-compose)",
      );
    }
  }
}

export interface ComposeTarget {
  packageRoot: string;
  project: string;
  env: Record<string, string>;
}

/** Runs one compose command on the repo's docker-compose.yml; failures carry compose's own output. */
export async function compose(target: ComposeTarget, args: string[], timeoutMs = 180_000): Promise<string> {
  const [cmd, ...pre] = await composeCommand();
  const argv = [...pre, "-f", join(target.packageRoot, "docker-compose.yml"), "-p", target.project, ...args];
  try {
    const { stdout } = await run(cmd as string, argv, {
      env: { ...process.env, ...target.env },
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new InfrastructureError(
      `${cmd} ${argv.join(" ")} failed: ${(e.stderr ?? "").trim() || e.message}`,
      {
        cause: err,
      },
    );
  }
}

/** The local images, built from this machine's binaries by docker/build-images.sh (skips what is current). */
export async function buildLocalImages(packageRoot: string, log: (line: string) => void): Promise<void> {
  try {
    const { stderr } = await run("bash", [join(packageRoot, "docker", "build-images.sh")], {
      timeout: 600_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    for (const line of stderr.trim().split("\n")) if (line) log(line);
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new InfrastructureError(`docker/build-images.sh failed: ${(e.stderr ?? "").trim() || e.message}`, {
      cause: err,
    });
  }
}

export const LOCAL_IMAGES = {
  GAMEDAY_SANDBOX_IMAGE: "gameday/sandbox:local",
  GAMEDAY_TOXIPROXY_IMAGE: `gameday/toxiproxy:${TOXIPROXY_VERSION}`,
  GAMEDAY_PROMETHEUS_IMAGE: "gameday/prometheus:local",
  GAMEDAY_REDIS_IMAGE: "gameday/redis:local",
};
