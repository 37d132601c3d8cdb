import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { experimentJsonSchema } from "../../src/experiment/json-schema.js";

type Json = Record<string, unknown>;
const TYPES = new Set(["object", "array", "string", "number", "integer", "boolean", "null"]);

/** Every subschema of a JSON Schema document, with its JSON pointer. */
function* subschemas(node: unknown, pointer = "#"): Generator<[string, Json]> {
  if (typeof node !== "object" || node === null) return;
  const schema = node as Json;
  yield [pointer, schema];
  for (const key of ["properties", "$defs", "patternProperties"]) {
    for (const [name, child] of Object.entries((schema[key] as Json | undefined) ?? {}))
      yield* subschemas(child, `${pointer}/${key}/${name}`);
  }
  for (const key of ["items", "additionalProperties", "propertyNames", "not"])
    yield* subschemas(schema[key], `${pointer}/${key}`);
  for (const key of ["oneOf", "anyOf", "allOf"])
    for (const [i, child] of ((schema[key] as unknown[] | undefined) ?? []).entries())
      yield* subschemas(child, `${pointer}/${key}/${i}`);
}

describe("experimentJsonSchema", async () => {
  const schema = experimentJsonSchema() as Json;
  const example = parse(await readFile("test/fixtures/experiments/payments-latency.yaml", "utf8"));

  it("is a draft 2020-12 JSON Schema of a sane shape", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    for (const [pointer, sub] of subschemas(schema)) {
      if (sub.type !== undefined) expect(TYPES.has(sub.type as string), `${pointer} type`).toBe(true);
      if (sub.pattern !== undefined) expect(() => new RegExp(sub.pattern as string), pointer).not.toThrow();
      for (const name of (sub.required as string[] | undefined) ?? [])
        expect(Object.keys((sub.properties as Json) ?? {}), `${pointer} requires ${name}`).toContain(name);
      if (typeof sub.$ref === "string") expect(sub.$ref.startsWith("#"), pointer).toBe(true);
    }
  });

  it("describes the input side: durations are strings with units, with their defaults as written", () => {
    const spec = (schema.properties as Json).spec as Json;
    const sampleInterval = (spec.properties as Json).sampleInterval as Json;
    expect(sampleInterval).toMatchObject({ type: "string", default: "1s" });
    expect(sampleInterval.description).toBeTruthy();
    expect(new RegExp(sampleInterval.pattern as string).test("1m30s")).toBe(true);
    expect(new RegExp(sampleInterval.pattern as string).test("30")).toBe(false);
  });

  it("a comparator is a number or a threshold string: duration, percentage or relative to the baseline", () => {
    const spec = (schema.properties as Json).spec as Json;
    const item = ((spec.properties as Json).expect as Json).items as Json;
    const below = (item.properties as Json).below as Json;
    const forms = below.anyOf as Json[];
    expect(forms.map((f) => f.type)).toEqual(["number", "string"]);
    const pattern = new RegExp(forms[1]?.pattern as string);
    for (const ok of ["600ms", "1.5s", "1%", "3x baseline", "baseline + 50ms", "0.9x baseline - 1%"])
      expect(pattern.test(ok), ok).toBe(true);
    for (const bad of ["250", "3 times baseline", "600 msec"]) expect(pattern.test(bad), bad).toBe(false);
    expect(below.description).toContain("3x baseline");
  });

  it("accepts the README's experiment example and refuses what the loader refuses", () => {
    // An independent validator: zod rebuilt from the JSON Schema alone.
    const fromJson = z.fromJSONSchema(schema as z.core.JSONSchema.JSONSchema);
    expect(fromJson.safeParse(example).success).toBe(true);
    const bareNumber = structuredClone(example);
    bareNumber.spec.faults[0].for = 60;
    expect(fromJson.safeParse(bareNumber).success).toBe(false);
    const typo = structuredClone(example);
    typo.spec.faults[0].toxiproxy.toxicty = 0.5;
    expect(fromJson.safeParse(typo).success).toBe(false);
  });
});
