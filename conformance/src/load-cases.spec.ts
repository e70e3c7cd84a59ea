import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CaseExecutor, type CaseKind, features } from "./case-types.js";
import { CaseLoadError, isRecord, loadCases } from "./load-cases.js";

// A fake executor for every kind: a step other than {ok: ...} is a problem.
const checking = (kind: CaseKind): CaseExecutor => ({
  kind,
  validate: (c) => c.steps.flatMap((step, i) => ("ok" in step ? [] : [`steps[${i}]: unknown step ${Object.keys(step).join()}`])),
  run: async () => undefined,
});
const executors = new Map<CaseKind, CaseExecutor>((["sdk", "host", "plugin"] as const).map((k) => [k, checking(k)]));

let root = "";
let dir = "";
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "load-cases-"));
  dir = join(root, "cases");
  mkdirSync(dir);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

function problems(only = executors as ReadonlyMap<CaseKind, CaseExecutor>): string[] {
  try {
    loadCases(dir, root, only);
  } catch (error) {
    if (error instanceof CaseLoadError) return error.problems;
    throw error;
  }
  throw new Error("loadCases found no problem");
}

const good = (name: string, more = "") => `  - name: ${name}\n    section: "5.3"\n    description: ${name} works.\n    steps: [{ok: 1}]\n${more}`;

describe("loadCases", () => {
  it("applies the file's defaults and the case's own fields, in file order", () => {
    write("b-suite.yaml", `suite: b-suite\ndescription: B.\ncases:\n${good("first")}`);
    write("a-suite.yaml", `suite: a-suite\ndescription: A.\nkind: plugin\nrequires: [streaming]\ncases:\n${good("one", "    requires: [validation, streaming]\n    timeoutMs: 2500\n    exclusive: true\n    setup: {env: {A: '1'}}\n")}  - name: two\n    section: 15\n    description: two works.\n    kind: host\n    steps: [{ok: 1}]\n`);
    write("notes.txt", "not a suite");
    const cases = loadCases(dir, root, executors);
    expect(cases.map((c) => c.id)).toEqual(["a-suite/one", "a-suite/two", "b-suite/first"]);
    expect(cases[0]).toEqual({
      id: "a-suite/one",
      suite: "a-suite",
      name: "one",
      kind: "plugin",
      section: "5.3",
      description: "one works.",
      requires: ["streaming", "validation"],
      timeoutMs: 2500,
      exclusive: true,
      setup: { env: { A: "1" } },
      steps: [{ ok: 1 }],
      file: join("cases", "a-suite.yaml"),
    });
    expect(cases[1]).toMatchObject({ kind: "host", section: "15", requires: ["streaming"], timeoutMs: 10_000, exclusive: false, setup: {} });
    expect(cases[2]).toMatchObject({ kind: "sdk", requires: [] });
  });

  it("reports every problem of a suite file's own keys", () => {
    write("broken.yaml", "suite: [\n");
    write("list.yaml", "- a\n- b\n");
    write("keys.yaml", `suite: other\nkind: wire\nrequires: streaming\nextra: 1\ncases: []\n`);
    write("features.yaml", `suite: features\ndescription: F.\nrequires: [streaming, teleport]\ncases:\n${good("x")}`);
    const where = (file: string) => join("cases", file);
    expect(problems()).toEqual([
      expect.stringMatching(new RegExp(`^${where("broken.yaml")}: not valid YAML: `)),
      `${where("features.yaml")}: requires: unknown feature(s) "teleport"; the features are ${features.join(", ")}`,
      `${where("keys.yaml")}: unknown key extra; a suite file has suite, description, kind, requires, cases`,
      `${where("keys.yaml")}: suite must be "keys", the file's name; got "other"`,
      `${where("keys.yaml")}: give the suite a description`,
      `${where("keys.yaml")}: kind must be one of sdk, host, plugin; got "wire"`,
      `${where("keys.yaml")}: requires must be a list of features (${features.join(", ")})`,
      `${where("keys.yaml")}: cases must be a non-empty list`,
      `${where("list.yaml")}: a suite file must be a map with suite, description and cases`,
    ]);
  });

  it("reports every problem of a case's common fields", () => {
    const bad = [
      "  - just a string",
      "  - name: Not_Kebab\n    section: five\n    kind: wire\n    requires: [flying]\n    timeoutMs: 0\n    exclusive: yes-please\n    setup: [1]\n    steps: []\n    retries: 2",
      "  - name: no-description\n    section: \"5.3\"\n    steps: [step]",
    ].join("\n");
    write("cases.yaml", `suite: cases\ndescription: C.\ncases:\n${bad}\n`);
    const at = (i: number) => `${join("cases", "cases.yaml")}: cases[${i}]`;
    expect(problems()).toEqual([
      `${at(0)}: a case must be a map`,
      `${at(1)}: unknown key retries; a case has name, section, description, kind, requires, timeoutMs, exclusive, setup, steps`,
      `${at(1)}: name must be kebab-case ([a-z0-9] words joined by -); got "Not_Kebab"`,
      `${at(1)}: section must name a PROTOCOL.md section as a quoted string such as "5.3"; got "five"`,
      `${at(1)}: give the case a description`,
      `${at(1)}: kind must be one of sdk, host, plugin; got "wire"`,
      `${at(1)}: requires: unknown feature(s) "flying"; the features are ${features.join(", ")}`,
      `${at(1)}: timeoutMs must be a positive number of ms; got 0`,
      `${at(1)}: exclusive must be true or false`,
      `${at(1)}: setup must be a map`,
      `${at(1)}: steps must be a non-empty list of maps`,
      `${at(2)}: give the case a description`,
      `${at(2)}: steps must be a non-empty list of maps`,
    ]);
  });

  it("reports duplicate ids, kinds without an executor and the executor's own problems", () => {
    write("dup.yaml", `suite: dup\ndescription: D.\ncases:\n${good("same")}${good("same")}${good("bad-step").replace("[{ok: 1}]", "[{ok: 1}, {fly: 2}]")}${good("hosted", "    kind: host\n")}`);
    const where = join("cases", "dup.yaml");
    expect(problems(new Map([["sdk", checking("sdk")]]))).toEqual([
      `${where}: the case dup/same is defined twice; give each case of a suite its own name`,
      `${where}: dup/bad-step: steps[1]: unknown step fly`,
      `${where}: dup/hosted: no executor runs host cases`,
    ]);
  });

  it("says how many problems there are, one per line", () => {
    write("x.yaml", "suite: y\ndescription: X.\ncases: []\n");
    expect(() => loadCases(dir, root, executors)).toThrow(`the conformance cases have 2 problem(s):\n  - ${join("cases", "x.yaml")}: suite must be "x", the file's name; got "y"\n  - ${join("cases", "x.yaml")}: cases must be a non-empty list`);
  });

  it("loads an empty directory as no cases", () => {
    expect(loadCases(dir, root, executors)).toEqual([]);
  });
});

describe("isRecord", () => {
  it("is true for maps only", () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord([])).toBe(false);
    expect(isRecord(null)).toBe(false);
    expect(isRecord("x")).toBe(false);
  });
});
