import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { InfrastructureError, PreflightError } from "../../errors/gameday-error.js";
import { kubectlBin } from "./kube-sandbox-config.js";

const run = promisify(execFile);

export interface KubectlTarget {
  kubeconfig: string;
  context: string;
}

/** One kubectl command against the named context (never the kubeconfig's current one). */
export async function kubectl(target: KubectlTarget, args: string[], timeoutMs = 120_000): Promise<string> {
  const bin = kubectlBin();
  if (!existsSync(bin))
    throw new PreflightError(
      `kubectl is not built at ${bin}: run \`bash scripts/kube/control-plane.sh build\` (or set GAMEDAY_KUBECTL)`,
    );
  const argv = ["--kubeconfig", target.kubeconfig, "--context", target.context, ...args];
  try {
    const { stdout } = await run(bin, argv, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new InfrastructureError(
      `kubectl ${args.join(" ")} failed: ${(e.stderr ?? "").trim() || e.message}`,
      {
        cause: err,
      },
    );
  }
}
