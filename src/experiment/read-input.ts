import { readFile } from "node:fs/promises";
import { ValidationError } from "../errors/gameday-error.js";

/** Reads an input file; a missing or unreadable one is invalid input (exit 2), said plainly. */
export async function readInputFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (error as Error).message;
    throw new ValidationError([{ file, path: "", message: `cannot read the ${what}: ${reason}` }]);
  }
}
