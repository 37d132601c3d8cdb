import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "../errors/gameday-error.js";
import { INSTALLATION_PATTERN } from "../faults/owner-tag.js";

const FILE = "installation-id";

function checked(id: string, where: string): string {
  if (!INSTALLATION_PATTERN.test(id))
    throw new ValidationError([
      {
        file: where,
        path: "installation",
        message: `expected an installation id of lowercase letters, digits and dashes (at most 32), found "${id.slice(0, 40)}"`,
      },
    ]);
  return id;
}

/**
 * The installation id written into every owner tag: $GAMEDAY_INSTALLATION, else the targets file's
 * `installation`, else one generated once and kept in the state folder. Workers that share a
 * targets file (the cluster's ConfigMap) therefore share an id, and reap each other's dead runs.
 */
export function installationId(opts: { fromTargets?: string | undefined; stateDir: string }): string {
  const env = process.env.GAMEDAY_INSTALLATION;
  if (env) return checked(env, "$GAMEDAY_INSTALLATION");
  if (opts.fromTargets) return opts.fromTargets;
  const file = join(opts.stateDir, FILE);
  try {
    return checked(readFileSync(file, "utf8").trim(), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const id = `i${randomBytes(5).toString("hex")}`;
  mkdirSync(opts.stateDir, { recursive: true });
  try {
    writeFileSync(file, `${id}\n`, { flag: "wx" });
    return id;
  } catch (err) {
    // Another gameday in this state folder made it first: use theirs.
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return checked(readFileSync(file, "utf8").trim(), file);
  }
}
