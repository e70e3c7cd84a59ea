// Turning a function's `params` / `result` option into the JSON Schema text of its
// FunctionSpec (PROTOCOL.md §4.1).

import { isStandardSchema, type StandardSchemaV1 } from "./standard-schema.js";

/** JsonSchemaObject is a JSON Schema given as a plain object. */
export type JsonSchemaObject = { readonly [keyword: string]: unknown };

/** SchemaOption is what `params` and `result` accept: a Standard Schema or a JSON Schema. */
export type SchemaOption = StandardSchemaV1 | JsonSchemaObject;

/** JsonSchemaTarget is the JSON Schema draft asked of schema libraries for. */
export const JSON_SCHEMA_TARGET = "draft-2020-12";

/** SchemaConversion is a JSON Schema text, and why it is empty when it could not be made. */
export interface SchemaConversion {
  /** JSON text, or "" when the schema has no JSON Schema form here. */
  text: string;
  /** Why `text` is empty although a schema was given; undefined when all went well. */
  problem?: string;
}

type Converter = (schema: StandardSchemaV1, io: "input" | "output") => Record<string, unknown> | undefined;

/**
 * toJsonSchemaText converts a schema to JSON Schema text, in this order: a plain object is
 * used as it is; a Standard Schema through its Standard JSON Schema interface
 * (`~standard.jsonSchema`, zod 4 and arktype), else its own method (`toJSONSchema()` in zod,
 * `toJsonSchema()` in arktype), else, for valibot, `toJsonSchema` of the optional package
 * `@valibot/to-json-schema`; otherwise the text is empty and `problem` says why. `io` picks the
 * input type (parameters) or the output type (results).
 */
export async function toJsonSchemaText(schema: SchemaOption | undefined, io: "input" | "output"): Promise<SchemaConversion> {
  if (schema === undefined) return { text: "" };
  if (!isStandardSchema(schema)) return { text: JSON.stringify(schema) };
  const vendor = schema["~standard"].vendor;
  try {
    const json = standardJsonSchema(schema, io) ?? ownMethod(schema, io) ?? (vendor === "valibot" ? await valibotJsonSchema(schema) : undefined);
    if (json !== undefined) return { text: JSON.stringify(json) };
    return {
      text: "",
      problem: `a ${vendor} schema offers no JSON Schema conversion (neither Standard JSON Schema nor a known converter); pass a JSON Schema object instead to describe it`,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { text: "", problem: `its ${vendor} schema could not be converted to JSON Schema: ${reason}` };
  }
}

const standardJsonSchema: Converter = (schema, io) => {
  const props = schema["~standard"];
  const converter = props.jsonSchema;
  if (converter === undefined || typeof converter[io] !== "function") return undefined;
  // zod fails on members it cannot represent (Date, bigint) unless told to write {} for them.
  const libraryOptions = props.vendor === "zod" ? { unrepresentable: "any" } : undefined;
  return converter[io]({ target: JSON_SCHEMA_TARGET, ...(libraryOptions && { libraryOptions }) });
};

const ownMethod: Converter = (schema) => {
  const methods = schema as unknown as { toJSONSchema?: unknown; toJsonSchema?: unknown };
  if (typeof methods.toJSONSchema === "function") return (methods.toJSONSchema as () => Record<string, unknown>).call(schema);
  if (typeof methods.toJsonSchema === "function") return (methods.toJsonSchema as () => Record<string, unknown>).call(schema);
  return undefined;
};

/** The optional converter package for valibot, loaded only when a valibot schema needs it. */
const VALIBOT_CONVERTER = "@valibot/to-json-schema";

async function valibotJsonSchema(schema: StandardSchemaV1): Promise<Record<string, unknown> | undefined> {
  let module: { toJsonSchema?: (schema: unknown, config?: Record<string, unknown>) => Record<string, unknown> };
  try {
    // A variable specifier: the package is optional, and bundlers must leave it out.
    module = (await import(VALIBOT_CONVERTER)) as typeof module;
  } catch {
    throw new Error("valibot schemas need the package @valibot/to-json-schema (npm install @valibot/to-json-schema), or wrap the schema with its toStandardJsonSchema()");
  }
  return module.toJsonSchema?.(schema, { target: JSON_SCHEMA_TARGET });
}
