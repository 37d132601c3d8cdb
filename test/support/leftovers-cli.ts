import { readFileSync, writeFileSync } from "node:fs";
import { gamedayLeftovers } from "./gameday-leftovers.js";

/**
 * The leftover check of test/support/global-setup.ts, around both lanes of `npm test` at once
 * (scripts/test.sh): inside one lane, the other lane's live containers would look like leftovers.
 * `snapshot FILE` lists what is there before; `check FILE` fails (exit 1) on anything new.
 */
async function main(mode: string | undefined, file: string | undefined): Promise<number> {
  if (!file || (mode !== "snapshot" && mode !== "check")) {
    process.stderr.write("usage: leftovers-cli snapshot|check FILE\n");
    return 2;
  }
  const now = await gamedayLeftovers();
  if (mode === "snapshot") {
    writeFileSync(file, JSON.stringify(now));
    return 0;
  }
  const before = new Set(JSON.parse(readFileSync(file, "utf8")) as string[]);
  const left = now.filter((l) => !before.has(l));
  if (left.length === 0) return 0;
  process.stderr.write(`the tests left these behind:\n  ${left.join("\n  ")}\n`);
  return 1;
}

process.exitCode = await main(process.argv[2], process.argv[3]);
