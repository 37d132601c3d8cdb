import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsPlugin from "ajv-formats";
import { describe, expect, it } from "vitest";
import {
  jsonSchemaFor,
  SCHEMA_KIND_NAMES,
  schemaFileName,
  schemaId,
} from "../../src/experiment/json-schema.js";
import { REPO, runCli } from "../support/cli.js";
import { gamedayYamlFiles, KIND_OF, MEANT_INVALID } from "./schema-files.js";

// ajv-formats is CommonJS with a default export: take whichever the loader gives.
const addFormats = ((addFormatsPlugin as unknown as { default?: typeof addFormatsPlugin }).default ??
  addFormatsPlugin) as unknown as (ajv: Ajv2020) => Ajv2020;

const published = (kind: (typeof SCHEMA_KIND_NAMES)[number]) =>
  JSON.parse(readFileSync(`${REPO}schemas/${schemaFileName(kind)}`, "utf8"));

/** An independent validator (ajv, draft 2020-12, with formats) loaded with the published files only. */
function validators() {
  const ajv = addFormats(new Ajv2020({ allErrors: true, strict: true, strictTypes: false }));
  for (const kind of SCHEMA_KIND_NAMES) ajv.addSchema(published(kind));
  return (kind: (typeof SCHEMA_KIND_NAMES)[number], data: unknown) => {
    const validate = ajv.getSchema(schemaId(kind));
    if (!validate) throw new Error(`no schema ${schemaId(kind)}`);
    const ok = validate(data) as boolean;
    return { ok, errors: ajv.errorsText(validate.errors, { separator: "\n" }) };
  };
}

describe("published JSON Schemas (schemas/*.schema.json)", () => {
  it("equal what `gameday schema --kind <kind>` generates, each with its stable $id", async () => {
    for (const kind of SCHEMA_KIND_NAMES) {
      const res = await runCli(["schema", "--kind", kind]);
      expect(res.code, res.stderr).toBe(0);
      const generated = JSON.parse(res.stdout);
      expect(generated, `schemas/${schemaFileName(kind)} is stale: run npm run schemas`).toEqual(
        published(kind),
      );
      expect(generated).toEqual(jsonSchemaFor(kind));
      expect(generated.$id).toBe(`https://gameday.dev/schemas/v1/${kind}.schema.json`);
      expect(generated.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
      expect(generated.properties.kind.const).toBe(
        { experiment: "Experiment", gameday: "GameDay", targets: "Targets", drill: "Drill" }[kind],
      );
    }
  });

  it("an unknown --kind is a usage error (exit 2) naming the kinds", async () => {
    const res = await runCli(["schema", "--kind", "drills"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("experiment, gameday, targets, drill");
  });

  it("accept every example file in the repo, by its kind, with a real JSON Schema validator", () => {
    const check = validators();
    const files = gamedayYamlFiles(REPO);
    // The walk finds the files it must: the demo, the docs' examples, the targets files.
    for (const f of [
      "experiments/payments-latency.yaml",
      "gamedays/demo.yaml",
      "targets.yaml",
      "docs/examples/targets.yaml",
      "docs/examples/pricing-latency.yaml",
      "test/fixtures/experiments/payments-latency.yaml",
    ])
      expect(files.map((x) => x.file)).toContain(f);
    for (const { file, kind, data } of files) {
      const schemaKind = KIND_OF[kind];
      expect(schemaKind, `${file}: kind ${kind} has no published schema`).toBeDefined();
      const result = check(schemaKind as (typeof SCHEMA_KIND_NAMES)[number], data);
      if (MEANT_INVALID.has(file)) expect(result.ok, `${file} is meant invalid`).toBe(false);
      else expect(result.ok, `${file}:\n${result.errors}`).toBe(true);
    }
  });

  it("refuse what the loader refuses: a bare-number duration, a misspelt field, a wrong kind", () => {
    const check = validators();
    const example = gamedayYamlFiles(REPO).find((f) => f.file === "experiments/payments-latency.yaml");
    const exp = structuredClone(example?.data) as {
      spec: { faults: { for: unknown; toxiproxy: Record<string, unknown> }[] };
    };
    expect(check("experiment", exp).ok).toBe(true);
    const bare = structuredClone(exp);
    (bare.spec.faults[0] as { for: unknown }).for = 60;
    expect(check("experiment", bare).ok).toBe(false);
    const typo = structuredClone(exp);
    (typo.spec.faults[0] as { toxiproxy: Record<string, unknown> }).toxiproxy.toxicty = 0.5;
    expect(check("experiment", typo).ok).toBe(false);
    expect(check("gameday", exp).ok).toBe(false);
    const targets = gamedayYamlFiles(REPO).find((f) => f.file === "targets.yaml")?.data as {
      targets: Record<string, { toxiproxy?: { url: string } }>;
    };
    const badUrl = structuredClone(targets);
    (badUrl.targets.sandbox?.toxiproxy as { url: string }).url = "not a url";
    expect(check("targets", targets).ok).toBe(true);
    expect(check("targets", badUrl).ok).toBe(false);
  });
});
