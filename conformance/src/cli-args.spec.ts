import { describe, expect, it } from "vitest";
import { UsageError, parseCliArgs, selectSubjects, usage } from "./cli-args.js";

describe("parseCliArgs", () => {
  it("has defaults for every flag", () => {
    expect(parseCliArgs([])).toEqual({
      subjects: undefined,
      cases: [],
      verbose: false,
      concurrency: 4,
      junit: "reports/junit/conformance.xml",
      markdown: "reports/conformance/matrix.md",
      list: false,
      help: false,
    });
  });

  it("reads repeated and comma-separated --sdk, repeated --case and the other flags", () => {
    const options = parseCliArgs(["--sdk", "node,python", "--sdk=host", "--case", "calls/*", "--case", "streams/big", "--verbose", "--concurrency", "2", "--junit", "a.xml", "--markdown", "b.md", "--list", "-h"]);
    expect(options).toEqual({ subjects: ["node", "python", "host"], cases: ["calls/*", "streams/big"], verbose: true, concurrency: 2, junit: "a.xml", markdown: "b.md", list: true, help: true });
  });

  it("refuses unknown flags, positionals and missing values as usage errors", () => {
    expect(() => parseCliArgs(["--sdks", "node"])).toThrow(UsageError);
    expect(() => parseCliArgs(["--sdks", "node"])).toThrow(/--sdks.*--help/);
    expect(() => parseCliArgs(["calls/add"])).toThrow(UsageError);
    expect(() => parseCliArgs(["--case"])).toThrow(UsageError);
    expect(() => parseCliArgs(["--sdk", ","])).toThrow("--sdk needs a name");
  });

  it("accepts only a whole --concurrency of at least 1", () => {
    for (const bad of ["0", "-1", "1.5", "two", ""]) expect(() => parseCliArgs([`--concurrency=${bad}`])).toThrow(`--concurrency must be a whole number ≥ 1; got ${JSON.stringify(bad)}`);
    expect(parseCliArgs(["--concurrency", "16"]).concurrency).toBe(16);
  });

  it("documents every flag in the usage text", () => {
    for (const flag of ["--sdk", "--case", "--verbose", "--concurrency", "--junit", "--markdown", "--list", "--help"]) expect(usage).toContain(flag);
  });
});

describe("selectSubjects", () => {
  const names = ["node", "python", "go"];

  it("selects the host cases and every SDK without names", () => {
    expect(selectSubjects(undefined, names)).toEqual({ host: true, sdks: names });
  });

  it("selects the named SDKs in registry order, and the host cases only when host is named", () => {
    expect(selectSubjects(["go", "node"], names)).toEqual({ host: false, sdks: ["node", "go"] });
    expect(selectSubjects(["host"], names)).toEqual({ host: true, sdks: [] });
    expect(selectSubjects(["python", "host"], names)).toEqual({ host: true, sdks: ["python"] });
  });

  it("refuses an unknown name, listing the names there are", () => {
    expect(() => selectSubjects(["rust", "node"], names)).toThrow(new UsageError('unknown --sdk "rust"; the names are host, node, python, go'));
  });
});
