import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validateFiles } from "../../src/experiment/validate-files.js";

const VALID = "test/fixtures/experiments/payments-latency.yaml";
const BAD = "test/fixtures/experiments/many-problems.yaml";
const TARGETS = "test/fixtures/targets/targets.yaml";

describe("validateFiles", async () => {
  const dir = await mkdtemp(join(tmpdir(), "gameday-validate-"));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("gives each file's verdict and issues, in the order given", async () => {
    const results = await validateFiles([VALID, BAD, "test/fixtures/none.yaml"], {
      targetsFile: TARGETS,
      env: {},
    });
    expect(results.map((r) => [r.file, r.ok])).toEqual([
      [VALID, true],
      [BAD, false],
      ["test/fixtures/none.yaml", false],
    ]);
    expect(results[1]?.issues).toHaveLength(8);
    expect(results[2]?.issues[0]?.message).toBe("cannot read the experiment file: no such file");
  });

  it("reports a broken targets file as one more invalid file", async () => {
    const targets = join(dir, "targets.yaml");
    await writeFile(targets, "apiVersion: gameday/v1\nkind: Targets\ntargetz: {}\n");
    const results = await validateFiles([VALID], { targetsFile: targets, env: {} });
    expect(results[0]).toMatchObject({ file: targets, ok: false });
    expect(results[1]).toMatchObject({ file: VALID, ok: false });
  });

  it("validates 100 files in one call (speed is measured in bench/, not here)", async () => {
    const text = await readFile(VALID, "utf8");
    const files = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const file = join(dir, `exp-${i}.yaml`);
        await writeFile(file, text.replace("payments-latency-opens-breaker", `exp-${i}`));
        return file;
      }),
    );
    const results = await validateFiles(files, { targetsFile: TARGETS, env: {} });
    expect(results).toHaveLength(100);
    expect(results.every((r) => r.ok)).toBe(true);
  });
});
