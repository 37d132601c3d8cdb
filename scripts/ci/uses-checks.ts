import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";

/** What a `uses:` step would have done, checked instead of run: ok, or why not. */
export interface UsesCheck {
  ok: boolean;
  detail: string;
}

/** Actions are pinned by major (`@v6`): a branch would move under us, a full version never updates. */
const PINNED = /^([\w.-]+\/[\w.-]+)@v(\d+)$/;

/** The node a step would find on this PATH. */
function nodeVersionOn(path: string): string | undefined {
  try {
    return execFileSync("node", ["-p", "process.versions.node"], { env: { ...process.env, PATH: path } })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

/** node-version as setup-node reads it here: "24", "24.x", "24.21" or "24.21.0" (a prefix). */
function satisfies(version: string, wanted: string): boolean {
  const parts = wanted.replace(/^v/, "").replace(/\.x$/, "").split(".");
  const have = version.split(".");
  return parts.every((p, i) => p === have[i]);
}

function checkSetupNode(withs: Record<string, string>, path: string): UsesCheck {
  const wanted = withs["node-version"] ?? "";
  if (!/^v?\d+(\.\d+){0,2}(\.x)?$/.test(wanted))
    return { ok: false, detail: `node-version "${wanted}" is not a version this check understands` };
  const have = nodeVersionOn(path);
  if (!have) return { ok: false, detail: "no node on PATH" };
  return satisfies(have, wanted)
    ? { ok: true, detail: `node ${have} on PATH satisfies node-version ${wanted}` }
    : { ok: false, detail: `node ${have} on PATH does not satisfy node-version ${wanted}` };
}

function nonEmpty(path: string): boolean {
  const s = statSync(path);
  return s.isDirectory() ? readdirSync(path).length > 0 : s.size > 0;
}

function checkUploadArtifact(withs: Record<string, string>, workspace: string): UsesCheck {
  const name = withs.name ?? "";
  if (name === "") return { ok: false, detail: "no artifact name" };
  const paths = (withs.path ?? "")
    .split("\n")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (paths.length === 0) return { ok: false, detail: "no path to upload" };
  const missing = paths
    .map((p) => (isAbsolute(p) ? p : join(workspace, p)))
    .filter((p) => !existsSync(p) || !nonEmpty(p));
  return missing.length === 0
    ? { ok: true, detail: `artifact ${name}: ${paths.join(", ")}` }
    : { ok: false, detail: `artifact ${name}: missing or empty: ${missing.join(", ")}` };
}

/**
 * The `uses:` steps action.yml may contain. setup-node: the node on PATH satisfies node-version;
 * upload-artifact: every path it would upload exists and is not empty. Any other action, or one not
 * pinned by major, is a failure: the local run would otherwise prove less than it claims.
 */
export function checkUses(
  uses: string,
  withs: Record<string, string>,
  env: { PATH: string; workspace: string },
): UsesCheck {
  const m = PINNED.exec(uses);
  if (!m) return { ok: false, detail: `${uses} is not pinned by major (owner/name@vN)` };
  if (m[1] === "actions/setup-node") return checkSetupNode(withs, env.PATH);
  if (m[1] === "actions/upload-artifact") return checkUploadArtifact(withs, env.workspace);
  return { ok: false, detail: `${uses}: the local runner has no check for this action` };
}
