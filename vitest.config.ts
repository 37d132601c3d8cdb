import { configDefaults, defineConfig } from "vitest/config";
import { ALL_TESTS, DEMO_LANE, SANDBOX_LANE } from "./test/lanes.js";

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    // Integration tests share the machine's 2 cores, and each sandbox lane one stack: one file at a
    // time per vitest process. scripts/test.sh runs the lanes as processes side by side.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: "sandbox", include: SANDBOX_LANE } },
      { extends: true, test: { name: "demo", include: DEMO_LANE } },
      {
        extends: true,
        test: {
          name: "isolated",
          include: ALL_TESTS,
          exclude: [...configDefaults.exclude, ...SANDBOX_LANE, ...DEMO_LANE],
        },
      },
    ],
  },
});
