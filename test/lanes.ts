/**
 * The lanes `npm test` runs side by side (scripts/test.sh), one vitest process each. The files of
 * a sandbox lane share one process sandbox (test/support/sandbox.ts), so they run one at a time:
 * SANDBOX_LANE on the default ports (the stack `npm run demo` uses), DEMO_LANE on a stack of its
 * own at DEMO_LANE_OFFSET. Every other file brings its own servers on free or offset ports (a
 * private Toxiproxy, Prometheus or Redis, the docker stack at offset 3000, the Kubernetes cluster)
 * and forms the isolated lane. A new file that uses the shared sandbox (ensureSandbox, the
 * checkout's targets.yaml `sandbox` target) belongs in a sandbox lane; test/unit/test-lanes.test.ts
 * fails when one is missing.
 */
export const SANDBOX_LANE = [
  "test/cli/cli-commands.test.ts",
  "test/console/console-live.test.ts",
  "test/docs/**/*.test.ts",
  "test/drill/drill-e2e.test.ts",
  "test/drill/drill-view-browser.test.ts",
  "test/prove/prove-sandbox.test.ts",
  "test/report/notify-sandbox.test.ts",
  "test/run/**/*.test.ts",
  "test/safety/halt-refuses-prove-drill.test.ts",
  "test/sandbox/**/*.test.ts",
];

/**
 * The two longest files: the demo game day (its healthy run and five regressions) on its own
 * stack, and the CI action's steps (their own sandboxes, ACTION_STEPS_DELTA above this lane's offset).
 */
export const DEMO_LANE = ["test/demo/**/*.test.ts", "test/ci/action-steps.test.ts"];
export const DEMO_LANE_OFFSET = 4000;
/**
 * The action steps' sandboxes sit this far above their lane's offset. Every offset a lane uses must
 * keep the sandbox's highest port (Toxiproxy's proxies at 28081-28083) below Linux's ephemeral
 * range (32768-60999): at 4800 a proxy port was taken by an outgoing connection ("address already
 * in use"). test/unit/test-lanes.test.ts checks it.
 */
export const ACTION_STEPS_DELTA = 400;

export const ALL_TESTS = ["test/**/*.test.ts"];
