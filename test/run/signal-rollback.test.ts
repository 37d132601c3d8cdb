import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI } from "../support/cli.js";
import { experiment, leftovers, workspace } from "../support/experiment-files.js";
import { waitForInjected } from "../support/journal-wait.js";
import { ensureSandbox } from "../support/sandbox.js";

describe("SIGINT and SIGTERM roll back with a real child process and a real Toxiproxy", () => {
  beforeAll(async () => {
    await ensureSandbox();
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`${signal} mid-fault: exit 3 and no toxic remains`, async () => {
      const ws = workspace();
      const file = ws.write(
        "long.yaml",
        experiment({
          name: `signal-${signal.toLowerCase()}`,
          fault: "{ proxy: payments, toxic: latency, latency: 300ms }",
          faultFor: "60s",
        }),
      );
      const child = spawn(
        process.execPath,
        [CLI, "run", file, "--targets", ws.targets, "--state-dir", ws.stateDir],
        {
          stdio: ["ignore", "pipe", "pipe"],
          env: { ...process.env, NO_COLOR: "1" },
        },
      );
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
      try {
        await waitForInjected(ws.stateDir);
        // The run's tag carries this installation's id: gameday@<installation>.<run>.<fault>.
        expect((await leftovers()).some((l) => /^payments\/gameday@[a-z0-9-]+\./.test(l))).toBe(true);
        child.kill(signal);
        const code = await exited;
        expect(code, stderr).toBe(3);
        expect(stderr).toContain(`${signal} received`);
        expect(await leftovers()).toEqual([]);
      } finally {
        if (child.exitCode === null) child.kill("SIGKILL");
      }
    });
  }
});
