import type { z } from "zod";

/** The few parts of zod 4's schema definitions we read; zod exposes them on `_zod.def`. */
interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  valueType?: Schema;
  options?: Schema[];
  discriminator?: string;
  getter?: () => Schema;
}
interface Schema {
  _zod: { def: Def; propValues?: Record<string, Set<unknown>> };
}

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "nonoptional", "readonly", "catch"]);

/** Peels wrappers and pipes (input side) down to the schema that decides the value's shape. */
function unwrap(schema: Schema, value: unknown): Schema {
  let current = schema;
  for (;;) {
    const def = current._zod.def;
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else if (def.type === "lazy" && def.getter) current = def.getter();
    else if (def.type === "union" && def.discriminator && def.options) {
      // A discriminated union: follow the option the written discriminator selects.
      const tag = (value as Record<string, unknown> | undefined)?.[def.discriminator];
      const option = def.options.find((o) => o._zod.propValues?.[def.discriminator as string]?.has(tag));
      if (!option) return current;
      current = option;
    } else return current;
  }
}

/**
 * The field names the schema allows at `path` of `value` (the raw document), for "unknown
 * field" messages; undefined when the path does not lead to an object schema.
 */
export function allowedKeys(
  schema: z.ZodType,
  path: readonly PropertyKey[],
  value: unknown,
): string[] | undefined {
  let current = unwrap(schema as unknown as Schema, value);
  let here = value;
  for (const segment of path) {
    const def = current._zod.def;
    const next = (here as Record<PropertyKey, unknown> | undefined)?.[segment];
    let child: Schema | undefined;
    if (def.type === "object") child = def.shape?.[String(segment)];
    else if (def.type === "array") child = def.element;
    else if (def.type === "record") child = def.valueType;
    if (child === undefined) return undefined;
    current = unwrap(child, next);
    here = next;
  }
  const def = current._zod.def;
  return def.type === "object" && def.shape ? Object.keys(def.shape) : undefined;
}
