/**
 * The two lanes `npm test` runs side by side (scripts/test.sh). The files in SANDBOX_LANE share the
 * one process sandbox on its default ports (test/support/sandbox.ts), so they run one at a time in
 * one vitest process. Every other file brings its own servers on free or offset ports (a private
 * Toxiproxy, Prometheus or Redis, the docker stack at offset 3000, the Kubernetes cluster, an
 * action run at offset 800), so they form a second lane beside it. A new file that uses the shared
 * sandbox (ensureSandbox, the checkout's targets.yaml `sandbox` target on its default ports)
 * belongs here; test/unit/test-lanes.test.ts fails when one is missing.
 */
export const SANDBOX_LANE = [
  "test/cli/cli-commands.test.ts",
  "test/console/console-live.test.ts",
  "test/demo/**/*.test.ts",
  "test/docs/**/*.test.ts",
  "test/drill/drill-e2e.test.ts",
  "test/prove/prove-sandbox.test.ts",
  "test/report/notify-sandbox.test.ts",
  "test/run/**/*.test.ts",
  "test/safety/halt-refuses-prove-drill.test.ts",
  "test/sandbox/**/*.test.ts",
];

export const ALL_TESTS = ["test/**/*.test.ts"];
