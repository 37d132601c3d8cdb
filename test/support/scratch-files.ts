import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A new temp folder, and a writer that puts a file in it and returns its path. */
export function scratchFiles(prefix: string): { dir: string; write: (name: string, text: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  return { dir, write };
}

/**
 * A targets file whose every endpoint is 127.0.0.1 port 1, where nothing listens: a command
 * given it can plan and validate, and can touch nothing.
 */
export const DEAD_TARGETS_TEXT = `apiVersion: gameday/v1
kind: Targets
targets:
  dead:
    vars: { APP_URL: "http://127.0.0.1:1" }
    toxiproxy: { url: "http://127.0.0.1:1", proxies: [db, cache] }
    prometheus: { url: "http://127.0.0.1:1" }
    scrape: { app: "http://127.0.0.1:1/metrics" }
`;
