import { describe, expect, it } from "vitest";
import { Grants, checkPermissions, covers } from "./permissions.js";

describe("checkPermissions", () => {
  it("accepts lists of valid patterns and nothing at all", () => {
    expect(checkPermissions(undefined, "p")).toBeUndefined();
    expect(checkPermissions({ hostFunctions: ["db.query", "log.*"], call: ["kv.>"], publish: [">"], subscribe: [] }, "p")).toBeUndefined();
  });

  it("names the first problem: not an object, an unknown list, not an array, a bad pattern", () => {
    expect(checkPermissions([], "plugins[0].permissions")).toBe("plugins[0].permissions must be an object with hostFunctions, call, publish and subscribe lists");
    expect(checkPermissions({ calls: [] }, "p")).toBe("p.calls is not a permission; the permissions are hostFunctions, call, publish, subscribe");
    expect(checkPermissions({ call: "kv.get" }, "p")).toBe('p.call must be an array of patterns such as "a.b", "a.*" or "a.>"');
    expect(checkPermissions({ publish: ["logs.>.error"] }, "p")).toContain('p.publish[0] must be a pattern');
    expect(checkPermissions({ publish: ["logs.err*"] }, "p")).toContain('got "logs.err*"');
  });
});

describe("Grants", () => {
  const grants = new Grants("billing", { hostFunctions: ["db.*"], call: ["kv.get", "search.>"], publish: ["orders.>"], subscribe: ["prices.*"] }, "plugins[1].permissions");

  it("denies by default and grants what the patterns match (§12.2 rules)", () => {
    expect(grants.allows("hostFunctions", "db.query")).toBe(true);
    expect(grants.allows("hostFunctions", "db.query.slow")).toBe(false);
    expect(grants.allows("hostFunctions", "fs.read")).toBe(false);
    expect(grants.allows("call", "kv.get")).toBe(true);
    expect(grants.allows("call", "kv.set")).toBe(false);
    expect(grants.allows("call", "search.query.full")).toBe(true);
    expect(grants.allows("publish", "orders.created")).toBe(true);
    expect(grants.allows("subscribe", "prices.eur")).toBe(true);
    expect(new Grants("x", {}, "p").allows("call", "kv.get")).toBe(false);
  });

  it("says which grant is missing and where to add it", () => {
    const error = grants.denied("call", "kv.set");
    expect(error.code).toBe("PERMISSION_DENIED");
    expect(error.message).toBe('plugin "billing" may not call kv.set: add "kv.set" (or a pattern that matches it) to plugins[1].permissions.call in the host\'s options');
  });

  it("allows a subscription pattern only when a granted pattern covers all it can match", () => {
    expect(grants.allowsPattern("subscribe", "prices.eur")).toBe(true);
    expect(grants.allowsPattern("subscribe", "prices.*")).toBe(true);
    expect(grants.allowsPattern("subscribe", "prices.>")).toBe(false);
    expect(grants.allowsPattern("subscribe", "*.eur")).toBe(false);
  });
});

describe("covers", () => {
  it.each([
    [">", "a.b", true],
    [">", ">", true],
    ["a.>", "a.*", true],
    ["a.>", "a.>", true],
    ["a.>", "a", false],
    ["a.*", "a.b", true],
    ["a.*", "a.*", true],
    ["a.*", "a.>", false],
    ["a.b", "a.*", false],
    ["*.b", "a.b", true],
    ["a.*.c", "a.*.c", true],
    ["a.*.c", "a.b", false],
  ])("%s covers %s: %s", (grant, pattern, expected) => {
    expect(covers(grant, pattern)).toBe(expected);
  });
});
