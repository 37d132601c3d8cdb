// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the interpolation syntax under test
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadExperimentText } from "../../src/experiment/experiment-loader.js";
import { loadPayload } from "../../src/queue/load-payload.js";
import { loadTargetsText } from "../../src/targets/targets-loader.js";
import { runCli } from "../support/cli.js";
import { issuesOf } from "./issues-of.js";

/**
 * Experiment, game-day, targets and job inputs written by someone hostile. Each must be refused
 * with exit 2, naming the file, line and field, while nothing is sent anywhere (every endpoint of
 * the targets file is a listener of this test that counts requests), nothing of a file's content
 * or of a secret is echoed, and no stack trace appears. Time and memory are checked loosely here
 * (the machine is shared); bench/ records the real figures.
 */

const SECRET = "hunter2-redis-password-6b1f";
let dir: string;
let listener: Server;
let port: number;
let requests = 0;

const head = (name: string) => `apiVersion: gameday/v1
kind: Experiment
metadata:
  name: ${name}
spec:
  target: t
`;
const fault = `  faults:
    - { name: f, for: 1s, toxiproxy: { proxy: p, toxic: latency, latency: 1ms } }
`;
const withLoad = (name: string, url: string) =>
  `${head(name)}  load:\n    url: "${url}"\n    rate: 5\n${fault}`;

/** name -> [file text (or bytes), the line the issue must point at (0: none), a text the message must hold] */
function experimentCases(): Record<string, [string | Buffer, number, RegExp]> {
  const base = `http://127.0.0.1:${port}`;
  return {
    "env-exfiltration": [
      withLoad("a", `${base}/?r=\${REDIS_URL}`),
      8,
      /undefined variable REDIS_URL: .*environment variable the targets file lists/,
    ],
    "undeclared-host": [
      withLoad("a", "http://127.0.0.2:9/steal"),
      8,
      /host target "t" declares .*127\.0\.0\.2:9/,
    ],
    "file-url": [
      withLoad("a", "file:///etc/passwd"),
      8,
      /expected an http or https URL, found the scheme "file:"/,
    ],
    "javascript-url": [withLoad("a", "javascript:alert(1)"), 8, /expected an http or https URL/],
    "url-credentials": [withLoad("a", `http://u:${SECRET}@127.0.0.1:${port}/`), 8, /without user:password/],
    unterminated: [withLoad("a", "${GATEWAY_URL/checkout"), 8, /unterminated reference/],
    "http-probe-elsewhere": [
      `${head("a")}  steadyState:\n    - { name: s, http: { url: "http://10.0.0.1/" }, equals: 200 }\n${fault}`,
      8,
      /host target "t" declares/,
    ],
    "scrape-elsewhere": [
      `${head("a")}  expect:\n    - { name: s, scrape: { target: "http://10.0.0.1:9/metrics", metric: m }, below: 1 }\n${fault}`,
      8,
      /host target "t" declares/,
    ],
    "400-digit-duration": [
      `${head("a")}  faults:\n    - { name: f, for: ${"9".repeat(400)}s, toxiproxy: { proxy: p, toxic: latency, latency: 1ms } }\n`,
      8,
      /expected a duration of at most 24h/,
    ],
    "repeated-units": [
      `${head("a")}  faults:\n    - { name: f, for: 5s5s, toxiproxy: { proxy: p, toxic: latency, latency: 1ms } }\n`,
      8,
      /each unit once and largest first/,
    ],
    "above-a-timer": [
      `${head("a")}  faults:\n    - { name: f, for: 2147484s, toxiproxy: { proxy: p, toxic: latency, latency: 1ms } }\n`,
      8,
      /at most 24h/,
    ],
    "sample-interval": [`${head("a")}  sampleInterval: 1ms\n${fault}`, 7, /sample interval from 50ms to 10m/],
    "promql-injection": [
      `${head("a")}  expect:\n    - { name: b, check: breakerCycle, service: orders, dependency: 'payments"}) or vector(2) #', during: f }\n${fault}`,
      8,
      /PromQL label value/,
    ],
    "nul-byte": [`${head("a")}  # a\u0000b\n${fault}`, 7, /control character U\+0000/],
    "escape-byte": [`${head("a")}  # \u001b[2J\n${fault}`, 7, /control character U\+001B/],
    "invalid-utf8": [
      Buffer.concat([Buffer.from(`${head("a")}  # `), Buffer.from([0xc3, 0x28]), Buffer.from(`\n${fault}`)]),
      7,
      /not valid UTF-8/,
    ],
    "megabyte-name": [
      `${head("a").replace("name: a", `name: ${"A".repeat(1_000_000)}`)}${fault}`,
      4,
      /at most 63/,
    ],
    "dollar-braces": [
      `${head("a")}  # x\n${fault}`.replace("name: a", `name: a\n  description: "${"${".repeat(200_000)}"`),
      5,
      /unterminated reference/,
    ],
    "50k-labels": [
      `${head("a")}${fault}`.replace(
        "name: a",
        `name: a\n  labels: {${Array.from({ length: 50_000 }, (_, i) => `k${i}: v`).join(", ")}}`,
      ),
      0,
      /more than 1500 YAML items/,
    ],
    "125k-errors": [
      `${head("a")}  expect: [${Array(125_000).fill("1").join(",")}]\n${fault}`,
      0,
      /more than 1500 YAML items/,
    ],
    "many-errors": [
      `${head("a")}  expect:\n${"    - { within: 1, at: 2, check: x }\n".repeat(100)}${fault}`,
      8,
      /expected a string|unknown check|expected one of/,
    ],
  };
}

const TARGETS = () => `apiVersion: gameday/v1
kind: Targets
env: [GATEWAY_URL]
targets:
  t:
    vars: { GATEWAY_URL: "http://127.0.0.1:${port}" }
    toxiproxy: { url: "http://127.0.0.1:${port}", proxies: [p] }
    prometheus: { url: "http://127.0.0.1:${port}" }
    scrape: { s: "http://127.0.0.1:${port}/metrics" }
`;

/** What every refusal must look like: exit 2, no stack trace, nothing secret, nothing large. */
function expectRefused(r: { code: number | null; stdout: string; stderr: string }): void {
  expect(r.code).toBe(2);
  const all = r.stdout + r.stderr;
  expect(all).not.toMatch(/\n\s+at .*\.js:\d+/); // a stack frame
  expect(all).not.toContain("unexpected error");
  expect(all).not.toContain(SECRET);
  expect(all).not.toContain("root:"); // /etc/passwd or /etc/shadow content
  expect(all.length).toBeLessThan(64 * 1024);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gameday-hostile-"));
  listener = createServer((_req, res) => {
    requests++;
    res.end("{}");
  });
  await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
  port = (listener.address() as AddressInfo).port;
  writeFileSync(join(dir, "targets.yaml"), TARGETS());
  for (const [name, [text]] of Object.entries(experimentCases()))
    writeFileSync(join(dir, `${name}.yaml`), text);
});

afterAll(async () => {
  await new Promise((r) => listener.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[]) =>
  runCli([...args, "--targets", join(dir, "targets.yaml")], {
    cwd: dir,
    env: { REDIS_URL: `redis://:${SECRET}@127.0.0.1:6379`, GAMEDAY_TARGETS: "" },
    timeoutMs: 60_000,
  });

describe("hostile experiment files", () => {
  it("validate refuses each one at its file and line, quickly, sending nothing", async () => {
    const cases = experimentCases();
    const files = Object.keys(cases).map((n) => join(dir, `${n}.yaml`));
    const started = Date.now();
    const r = await cli(["validate", ...files]);
    expectRefused(r);
    expect(r.stdout).toContain(`0 valid, ${files.length} invalid`);
    for (const [name, [, line, message]] of Object.entries(cases)) {
      const file = join(dir, `${name}.yaml`);
      const own = r.stderr.split("\n").filter((l) => l.includes(`${file}:`) || l.includes(`${file}: `));
      expect(own.length, name).toBeGreaterThan(0);
      expect(
        own.some((l) => message.test(l)),
        `${name}: ${own.join("\n")}`,
      ).toBe(true);
      if (line)
        expect(
          own.some((l) => l.includes(`${file}:${line}:`)),
          `${name} line ${line}: ${own[0]}`,
        ).toBe(true);
    }
    expect(r.stderr).toMatch(/more issues in this file, not shown/); // many-errors: capped, counted
    // Loose: 21 files, several near a megabyte, on a shared machine (bench/ has the real figure).
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(requests).toBe(0);
  });

  it("run and plan refuse the same files with exit 2 and send nothing", async () => {
    const files = Object.keys(experimentCases()).map((n) => join(dir, `${n}.yaml`));
    for (const command of ["run", "plan"]) {
      const r = await cli([
        command,
        ...files,
        ...(command === "run" ? ["--state-dir", join(dir, "state")] : []),
      ]);
      expectRefused(r);
      expect(r.stderr).toContain("gameday: E_INVALID");
    }
    expect(requests).toBe(0);
  });

  it("the redaction of a URL's password reaches even a refused file's message", async () => {
    const issues = await issuesOf(() =>
      loadExperimentText(withLoad("a", `http://u:${SECRET}@127.0.0.1:${port}/`), "e.yaml", {
        targets: loadTargetsText(TARGETS(), "targets.yaml"),
        env: {},
      }),
    );
    expect(JSON.stringify(issues)).not.toContain(SECRET);
  });
});

describe("hostile inputs that are not files", () => {
  it("a FIFO, a directory and /dev/urandom are refused without blocking", async () => {
    const fifo = join(dir, "fifo.yaml");
    execFileSync("mkfifo", [fifo]);
    mkdirSync(join(dir, "a-directory.yaml"));
    const started = Date.now();
    const r = await cli(["validate", fifo, join(dir, "a-directory.yaml"), "/dev/urandom"]);
    expectRefused(r);
    expect(r.stderr).toContain(`${fifo}: cannot read the experiment file: it is a FIFO (named pipe)`);
    expect(r.stderr).toContain("it is a directory");
    expect(r.stderr).toContain("/dev/urandom: cannot read the experiment file: it is a device");
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

describe("hostile game days", () => {
  const gameDay = (name: string, members: string[]) =>
    `apiVersion: gameday/v1\nkind: GameDay\nmetadata: { name: ${name} }\nspec:\n  experiments:\n${members.map((m) => `    - ${m}\n`).join("")}`;

  it("members outside the game day's tree, itself, another game day and a cycle are refused, content never echoed", async () => {
    const days = join(dir, "days");
    mkdirSync(days, { recursive: true });
    writeFileSync(
      join(days, "outside.yaml"),
      gameDay("outside", ["/etc/passwd", "/proc/self/environ", "../../../../etc/shadow"]),
    );
    symlinkSync("/etc/passwd", join(days, "link.yaml"));
    writeFileSync(join(days, "symlink.yaml"), gameDay("symlink", ["link.yaml"]));
    writeFileSync(join(days, "self.yaml"), gameDay("self", ["self.yaml"]));
    writeFileSync(join(days, "a.yaml"), gameDay("a", ["b.yaml"]));
    writeFileSync(join(days, "b.yaml"), gameDay("b", ["a.yaml"]));
    writeFileSync(join(days, "nested.yaml"), gameDay("nested", ["../env-exfiltration.yaml", "a.yaml"]));
    const files = ["outside", "symlink", "self", "a", "nested"].map((n) => join(days, `${n}.yaml`));
    for (const command of ["validate", "run", "plan"]) {
      const r = await cli([
        command,
        ...files,
        ...(command === "run" ? ["--state-dir", join(dir, "state")] : []),
      ]);
      expectRefused(r);
      expect(r.stderr, command).toMatch(
        /outside.yaml:6:7: spec.experiments\[0\]: the experiment file \/etc\/passwd is outside/,
      );
      expect(r.stderr).toMatch(/outside.yaml:7:7: spec.experiments\[1\]: .*\/proc\/self\/environ is outside/);
      expect(r.stderr).toMatch(/symlink.yaml:6:7: .*link.yaml is outside/);
      expect(r.stderr).toMatch(/self.yaml:6:7: .*lists itself \(self.yaml -> self.yaml\)/);
      expect(r.stderr).toMatch(/a.yaml:6:7: .*is a game day \(a.yaml -> b.yaml\): game days do not nest/);
      expect(r.stderr).toMatch(/nested.yaml:7:7: .*is a game day \(nested.yaml -> a.yaml\)/);
    }
    expect(requests).toBe(0);
  });
});

describe("hostile targets files", () => {
  it("javascript:, file: and user:password URLs are refused, the password never echoed", async () => {
    const text = `apiVersion: gameday/v1
kind: Targets
targets:
  t:
    toxiproxy: { url: "javascript:alert(1)", proxies: [p] }
    prometheus: { url: "file:///etc/passwd" }
    scrape: { s: "http://u:${SECRET}@127.0.0.1:1/metrics" }
`;
    writeFileSync(join(dir, "bad-targets.yaml"), text);
    const r = await runCli(
      ["validate", join(dir, "env-exfiltration.yaml"), "--targets", join(dir, "bad-targets.yaml")],
      {
        cwd: dir,
      },
    );
    expectRefused(r);
    expect(r.stderr).toMatch(
      /bad-targets.yaml:5:23: targets.t.toxiproxy.url: expected an http or https URL, found the scheme "javascript:"/,
    );
    expect(r.stderr).toMatch(
      /bad-targets.yaml:6:24: targets.t.prometheus.url: expected an http or https URL/,
    );
    expect(r.stderr).toMatch(
      /bad-targets.yaml:7:18: targets.t.scrape.s: expected a URL without user:password/,
    );
  });
});

describe("hostile job payloads", () => {
  it("an experiment text with control bytes, or megabytes of it, fails the job without a crash", () => {
    const targets = { file: "targets.yaml", text: TARGETS() };
    const job = (text: string) => ({
      v: 1,
      name: "x",
      kind: "experiment",
      file: "x.yaml",
      continueOnFailure: false,
      experiments: [{ file: "x.yaml", text }],
      targets,
    });
    // The worker resolves reach from its own targets file, never from the payload.
    const own = loadTargetsText(TARGETS(), "targets.yaml");
    expect(() => loadPayload(job(`${head("a")}  # \u0000\n${fault}`), own)).toThrow(
      /control character U\+0000/,
    );
    expect(() => loadPayload(job("a".repeat(2 * 1024 * 1024)), own)).toThrow(
      /above the limit of 1048576 bytes/,
    );
    expect(() => loadPayload(job(withLoad("a", "http://10.1.2.3/")), own)).toThrow(/declares/);
    expect(() =>
      loadPayload(job(`${head("a")}  expect: [${Array(125_000).fill("1").join(",")}]\n${fault}`), own),
    ).toThrow(/more than 1500 YAML items/);
  });
});
