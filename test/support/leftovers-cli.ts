import { readFileSync, writeFileSync } from "node:fs";
import { gamedayLeftovers, newLeftovers } from "./gameday-leftovers.js";

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
  if (mode === "snapshot") {
    writeFileSync(file, JSON.stringify(await gamedayLeftovers()));
    return 0;
  }
  const left = await newLeftovers(JSON.parse(readFileSync(file, "utf8")) as string[]);
  if (!left) return 0;
  process.stderr.write(`${left}\n`);
  return 1;
}

process.exitCode = await main(process.argv[2], process.argv[3]);
