import { createHash } from "node:crypto";
import { hostname } from "node:os";
import { ValidationError } from "../errors/gameday-error.js";
import { INSTALLATION_PATTERN } from "../faults/owner-tag.js";

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

/** This machine's default: stable across checkouts and state folders, so `recover` works from any of them. */
export function hostInstallationId(host = hostname()): string {
  return `h${createHash("sha256").update(host).digest("hex").slice(0, 10)}`;
}

/**
 * The installation id written into every owner tag: $GAMEDAY_INSTALLATION, else the targets file's
 * `installation`, else one derived from this machine's hostname. Workers on several hosts (the
 * cluster's pods) share targets, so the shipped targets file sets one for them all; otherwise a
 * janitor on one pod could not revert the faults of a worker that died on another.
 */
export function installationId(opts: { fromTargets?: string | undefined }): string {
  const env = process.env.GAMEDAY_INSTALLATION;
  if (env) return checked(env, "$GAMEDAY_INSTALLATION");
  return opts.fromTargets ?? hostInstallationId();
}
