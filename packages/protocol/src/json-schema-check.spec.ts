import { describe, expect, it } from "vitest";
import { checkJsonSchema, type JsonSchema } from "./json-schema-check.js";

function messages(schema: JsonSchema, value: unknown): string[] {
  return checkJsonSchema(schema, value, "args").map((issue) => `${issue.path}: ${issue.message}`);
}

describe("checkJsonSchema", () => {
  it("checks types, integers (numbers and bigints) and unions of types", () => {
    expect(messages({ type: "integer" }, 3)).toEqual([]);
    expect(messages({ type: "integer" }, 2n ** 60n)).toEqual([]);
    expect(messages({ type: "integer" }, 3.5)).toEqual(["args: expected integer, got number"]);
    expect(messages({ type: "number" }, 3)).toEqual([]);
    expect(messages({ type: ["string", "null"] }, null)).toEqual([]);
    expect(messages({ type: ["string", "null"] }, 1)).toEqual(["args: expected string or null, got integer"]);
    expect(messages({ type: "object" }, [])).toEqual(["args: expected object, got array"]);
    expect(messages({ type: "string" }, new Uint8Array(2))).toEqual(["args: expected string, got bytes"]);
  });

  it("checks required members, properties and additionalProperties", () => {
    const schema = { type: "object", properties: { a: { type: "number" } }, required: ["a", "b"], additionalProperties: false };
    expect(messages(schema, { a: 1, b: 2 })).toEqual(["args.b: unknown member, not allowed here"]);
    expect(messages(schema, { a: "x" })).toEqual(["args.b: required, missing", "args.a: expected number, got string"]);
    expect(messages({ type: "object", additionalProperties: { type: "string" } }, { "a b": 1 })).toEqual(['args["a b"]: expected string, got integer']);
  });

  it("checks items, prefixItems (2020-12), tuple items (draft-07) and lengths", () => {
    expect(messages({ items: { type: "string" } }, ["a", 1])).toEqual(["args[1]: expected string, got integer"]);
    expect(messages({ prefixItems: [{ type: "string" }], items: { type: "number" } }, ["a", 1, "b"])).toEqual(["args[2]: expected number, got string"]);
    expect(messages({ items: [{ type: "string" }, { type: "number" }] }, [1, 1])).toEqual(["args[0]: expected string, got integer"]);
    expect(messages({ minItems: 2, maxItems: 3 }, [1])).toEqual(["args: expected at least 2 items, got 1"]);
  });

  it("checks enum, const, bounds, string lengths and patterns", () => {
    expect(messages({ enum: ["a", "b"] }, "c")).toEqual(['args: expected one of "a", "b"']);
    expect(messages({ const: 1 }, 1n)).toEqual([]);
    expect(messages({ minimum: 1, exclusiveMaximum: 10 }, 10)).toEqual(["args: expected a number < 10, got 10"]);
    expect(messages({ minLength: 2 }, "é")).toEqual(["args: expected at least 2 characters, got 1"]);
    expect(messages({ pattern: "^[a-z]+$" }, "A")).toEqual(["args: expected a string matching /^[a-z]+$/"]);
    expect(messages({ pattern: "(" }, "A")).toEqual([]);
  });

  it("checks allOf and anyOf, boolean schemas, and ignores keywords it does not know", () => {
    expect(messages({ anyOf: [{ type: "string" }, { type: "number" }] }, true)).toEqual(["args: matches none of the alternatives (anyOf)"]);
    expect(messages({ allOf: [{ type: "number" }, { minimum: 5 }] }, 4)).toEqual(["args: expected a number >= 5, got 4"]);
    expect(messages({ properties: { x: false } }, { x: 1 })).toEqual(["args.x: no value is allowed here"]);
    expect(messages({ $ref: "#/$defs/thing", format: "email" }, 1)).toEqual([]);
  });

  it("stops after ten issues", () => {
    expect(messages({ items: { type: "string" } }, new Array(20).fill(0))).toHaveLength(10);
  });
});
