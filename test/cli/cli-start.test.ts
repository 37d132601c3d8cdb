import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CLI, REPO, runCli } from "../support/cli.js";

/** Recorded by a module-load hook in the child: every module it loads, builtins included, printed at exit. */
const RECORD_LOADS = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from "node:module";
const seen = [];
registerHooks({ load(url, context, next) { seen.push(url); return next(url, context); } });
process.on("exit", () => process.stderr.write("\\nLOADED " + JSON.stringify(seen) + "\\n"));
`)}`;

interface Traced {
  code: number | null;
  stdout: string;
  stderr: string;
  loaded: string[];
}

function node(args: string[]): Promise<Traced> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const m = /\nLOADED (.*)\n$/.exec(stderr);
      resolve({
        code,
        stdout,
        stderr: m ? stderr.slice(0, m.index) : stderr,
        loaded: m ? (JSON.parse(m[1] as string) as string[]) : [],
      });
    });
  });
}

const traced = (args: string[]) => node(["--import", RECORD_LOADS, CLI, ...args]);
const ours = (loaded: string[]) =>
  loaded.filter((u) => !u.startsWith("node:")).map((u) => u.replace(`file://${REPO}`, ""));
const HEAVY =
  /node_modules\/(bullmq|ioredis|dockerode|@kubernetes|hono|@hono|pino|@opentelemetry|zod|yaml|commander)\//;

describe("CLI start-up (bin, bundle, lazy commands)", () => {
  it("--version prints the version from the bin alone, loading no package and no command", async () => {
    for (const flag of ["--version", "-V"]) {
      const res = await traced([flag]);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toBe("0.1.0\n");
      expect(ours(res.loaded).sort()).toEqual([
        "dist/src/cli/closed-pipe.js",
        "dist/src/cli/main.js",
        "dist/src/cli/version.js",
      ]);
    }
  });

  it("validate runs from the bundle and loads no queue, Docker, Kubernetes or web client", async () => {
    const res = await traced(["validate", "test/fixtures/experiments/payments-latency.yaml"]);
    expect(res.code, res.stderr).toBe(0);
    const files = ours(res.loaded);
    expect(files).toContain("dist/cli/gameday.mjs");
    expect(files.filter((f) => HEAVY.test(f))).toEqual([]);
    // The bundle stands for the compiled modules: none of them loads beside it.
    const bin = ["dist/src/cli/main.js", "dist/src/cli/closed-pipe.js", "dist/src/cli/version.js"];
    expect(files.filter((f) => f.startsWith("dist/src/") && !bin.includes(f))).toEqual([]);
  });

  it("the bundle and the unbundled program give the same output and exit code", async () => {
    const cases = [
      ["validate", "test/fixtures/experiments/payments-latency.yaml"],
      ["validate", "test/fixtures/experiments/many-problems.yaml"],
      [
        "validate",
        "test/fixtures/experiments/payments-latency.yaml",
        "--targets",
        "/nonexistent/targets.yaml",
      ],
      ["validate", "test/fixtures"],
      ["constructor"],
    ];
    for (const args of cases) {
      const bundled = await node([`${REPO}dist/cli/gameday.mjs`, ...args]);
      const program = await node([`${REPO}dist/src/cli/program.js`, ...args]);
      const bin = await runCli(args);
      expect({ args, ...bundled, loaded: [] }).toEqual({ args, ...program, loaded: [] });
      expect({ args, code: bin.code, stdout: bin.stdout, stderr: bin.stderr }).toEqual({
        args,
        code: bundled.code,
        stdout: bundled.stdout,
        stderr: bundled.stderr,
      });
    }
  }, 300_000);
});
