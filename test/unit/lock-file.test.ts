import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface LockedPackage {
  version?: string;
  optional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
  packages: Record<string, LockedPackage>;
};
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Where npm would find `name` from the package at `from`: nested first, then each parent, then the top. */
function resolves(from: string, name: string): boolean {
  let dir = from;
  for (;;) {
    if (lock.packages[`${dir ? `${dir}/` : ""}node_modules/${name}`]) return true;
    if (!dir) return false;
    const up = dir.lastIndexOf("/node_modules/");
    dir = up < 0 ? "" : dir.slice(0, up);
  }
}

describe("package-lock.json", () => {
  // `npm ci` refuses (EUSAGE, "Missing: ... from lock file") a lock that lacks another platform's
  // optional package, even one it would never install here: every one must be listed.
  it("lists every optional dependency of every locked package, so npm ci accepts it", () => {
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages))
      for (const name of Object.keys(entry.optionalDependencies ?? {}))
        if (!resolves(path, name)) missing.push(`${name} (optional dependency of ${path || "the root"})`);
    expect(missing).toEqual([]);
  });

  it("matches package.json's direct dependencies", () => {
    const root = lock.packages[""] as LockedPackage & { devDependencies?: Record<string, string> };
    expect(root.dependencies).toEqual(pkg.dependencies);
    expect(root.devDependencies).toEqual(pkg.devDependencies);
  });

  it("declares no dependency the code does not use (undici was one)", () => {
    expect(Object.keys(pkg.dependencies)).not.toContain("undici");
  });
});
