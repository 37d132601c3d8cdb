import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { redact } from "../redact/redact.js";

/** Every reporter writes through here: the folder made, and the text redacted before it reaches disk. */
export function writeReport(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, redact(text));
}
