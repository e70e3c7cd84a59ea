import { PluginError, argsValidator, type StandardSchemaV1 } from "@polyproc/protocol";
import { type } from "arktype";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { z } from "zod";

const bad = { id: "o-1", items: [{ price: 1 }, { price: 2 }, { price: "3" }] };

async function failure(run: () => unknown): Promise<PluginError> {
  try {
    await run();
  } catch (error) {
    expect(PluginError.is(error, "INVALID_ARGUMENT")).toBe(true);
    return error as PluginError;
  }
  throw new Error("the arguments were accepted");
}

describe("argsValidator", () => {
  it("is undefined without a schema: no schema work per call", () => {
    expect(argsValidator(undefined)).toBeUndefined();
  });

  it("zod: names the path of the offending member", async () => {
    const validate = argsValidator(z.object({ id: z.string(), items: z.array(z.object({ price: z.number() })) }))!;
    const error = await failure(() => validate(bad));
    expect(error.message).toBe("invalid arguments: args.items[2].price: Invalid input: expected number, received string");
    expect(error.details).toEqual({ issues: [{ path: "args.items[2].price", message: "Invalid input: expected number, received string" }] });
  });

  it("zod: returns the schema's output (defaults applied)", () => {
    const validate = argsValidator(z.object({ n: z.number().default(3) }))!;
    expect(validate({})).toEqual({ n: 3 });
  });

  it("valibot: names the path", async () => {
    const validate = argsValidator(v.object({ id: v.string(), items: v.array(v.object({ price: v.number() })) }))!;
    const error = await failure(() => validate(bad));
    expect(error.message).toBe('invalid arguments: args.items[2].price: Invalid type: Expected number but received "3"');
  });

  it("arktype: names the path once", async () => {
    const validate = argsValidator(type({ id: "string", items: type({ price: "number" }).array() }))!;
    const error = await failure(() => validate(bad));
    expect(error.message).toBe("invalid arguments: args.items[2].price: must be a number (was a string)");
  });

  it("lists every issue, and the root itself as args", async () => {
    const validate = argsValidator(z.object({ a: z.number(), b: z.string() }))!;
    expect((await failure(() => validate({ a: "x" }))).message).toMatch(/^invalid arguments: args\.a: .*; args\.b: /);
    expect((await failure(() => validate(5))).message).toMatch(/^invalid arguments: args: Invalid input: expected object/);
  });

  it("quotes keys that are not identifiers (§9.8.3)", async () => {
    const validate = argsValidator(z.object({ "not an id": z.number() }))!;
    expect((await failure(() => validate({ "not an id": "x" }))).message).toMatch(/^invalid arguments: args\["not an id"\]: /);
  });

  it("supports asynchronous Standard Schemas", async () => {
    const schema: StandardSchemaV1<unknown, number> = {
      "~standard": {
        version: 1,
        vendor: "test",
        validate: (value) => Promise.resolve(typeof value === "number" ? { value: value * 2 } : { issues: [{ message: "not a number", path: [{ key: "x" }] }] }),
      },
    };
    const validate = argsValidator(schema)!;
    await expect(validate(21)).resolves.toBe(42);
    expect((await failure(() => validate("a"))).message).toBe("invalid arguments: args.x: not a number");
  });

  it("checks plain JSON Schema objects structurally", async () => {
    const validate = argsValidator({
      type: "object",
      properties: { id: { type: "string" }, items: { type: "array", items: { type: "object", properties: { price: { type: "number" } } } } },
      required: ["id", "items"],
    })!;
    expect(validate({ id: "o", items: [{ price: 1 }] })).toEqual({ id: "o", items: [{ price: 1 }] });
    expect((await failure(() => validate(bad))).message).toBe("invalid arguments: args.items[2].price: expected number, got string");
    expect((await failure(() => validate({ items: [] }))).message).toBe("invalid arguments: args.id: required, missing");
  });
});
