import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PrivateStack } from "./private-stack.js";

export const TARGET = "bench";

/** A temp folder holding a targets file for the private stack, experiment files and state dirs. */
export interface Workspace {
  dir: string;
  targets: string;
  write(name: string, text: string): string;
  /** A fresh, empty state dir, so each run's journal is the only one in it. */
  stateDir(label: string): string;
  remove(): void;
}

export function createWorkspace(stack: PrivateStack): Workspace {
  const dir = mkdtempSync(join(tmpdir(), "gameday-bench-"));
  const targets = join(dir, "targets.yaml");
  writeFileSync(
    targets,
    `apiVersion: gameday/v1
kind: Targets
targets:
  ${TARGET}:
    description: private Toxiproxy and upstream started by the bench
    vars: { UPSTREAM_URL: "${stack.proxiedUrl}" }
    toxiproxy: { url: "${stack.toxiproxyUrl}", proxies: [${stack.proxyName}] }
`,
  );
  let states = 0;
  return {
    dir,
    targets,
    write(name, text) {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    stateDir(label) {
      const state = join(dir, `state-${label}-${++states}`);
      mkdirSync(state, { recursive: true });
      return state;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
