import { toStandardJsonSchema } from "@valibot/to-json-schema";
import { type } from "arktype";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toJsonSchemaText, type StandardSchemaV1 } from "@polyproc/protocol";

const order = {
  type: "object",
  properties: { id: { type: "string" }, items: { type: "array", items: { type: "object", properties: { price: { type: "number" } }, required: ["price"] } } },
  required: ["id", "items"],
};

async function json(schema: Parameters<typeof toJsonSchemaText>[0], io: "input" | "output" = "input"): Promise<unknown> {
  const { text, problem } = await toJsonSchemaText(schema, io);
  expect(problem).toBeUndefined();
  return JSON.parse(text);
}

describe("toJsonSchemaText", () => {
  it("is empty without a schema", async () => {
    expect(await toJsonSchemaText(undefined, "input")).toEqual({ text: "" });
  });

  it("sends a plain JSON Schema object as it is", async () => {
    expect(await json(order)).toEqual(order);
  });

  it("converts zod through Standard JSON Schema (draft 2020-12)", async () => {
    const schema = z.object({ id: z.string(), items: z.array(z.object({ price: z.number() })) });
    expect(await json(schema)).toMatchObject({ $schema: "https://json-schema.org/draft/2020-12/schema", ...order });
  });

  it("writes {} for zod members JSON Schema cannot represent (Date) instead of failing", async () => {
    const schema = z.object({ when: z.date(), n: z.number() });
    expect(await json(schema)).toMatchObject({ properties: { when: {}, n: { type: "number" } } });
  });

  it("uses the input type for params and the output type for results", async () => {
    const schema = z.object({ n: z.number().default(3) });
    expect(await json(schema, "input")).toMatchObject({ properties: { n: { type: "number", default: 3 } } });
    expect(await json(schema, "output")).toMatchObject({ required: ["n"] });
  });

  it("converts arktype through Standard JSON Schema", async () => {
    const schema = type({ id: "string", items: type({ price: "number" }).array() });
    expect(await json(schema)).toMatchObject({ $schema: "https://json-schema.org/draft/2020-12/schema", ...order });
  });

  it("converts valibot with @valibot/to-json-schema when the schema has no converter of its own", async () => {
    const schema = v.object({ id: v.string(), items: v.array(v.object({ price: v.number() })) });
    expect(await json(schema)).toMatchObject({ $schema: "https://json-schema.org/draft/2020-12/schema", ...order });
  });

  it("converts a valibot schema wrapped with toStandardJsonSchema", async () => {
    const schema = toStandardJsonSchema(v.object({ id: v.string() }));
    expect(await json(schema)).toMatchObject({ properties: { id: { type: "string" } }, required: ["id"] });
  });

  it("is empty with the reason when the library cannot convert the schema", async () => {
    const schema = v.pipe(v.string(), v.transform((s) => s.length));
    const result = await toJsonSchemaText(schema, "input");
    expect(result.text).toBe("");
    expect(result.problem).toMatch(/valibot schema could not be converted to JSON Schema: .*transform/);
  });

  it("is empty with the reason for a Standard Schema with no known converter", async () => {
    const schema: StandardSchemaV1 = { "~standard": { version: 1, vendor: "acme", validate: (value) => ({ value }) } };
    const result = await toJsonSchemaText(schema, "input");
    expect(result).toEqual({ text: "", problem: expect.stringMatching(/acme schema offers no JSON Schema conversion.*JSON Schema object/) });
  });
});
