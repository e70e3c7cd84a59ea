import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSdks } from "./sdk-registry.js";
import { features } from "./case-types.js";

let root = "";
let path = "";
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "sdk-registry-"));
  path = join(root, "sdks.yaml");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("loadSdks", () => {
  it("expands {node} and {python}, resolves cwd from the root and defaults env and features", () => {
    writeFileSync(path, `sdks:\n  - name: node\n    command: ["{node}", "plugin.ts"]\n    features: [streaming]\n  - name: python\n    command: ["{python}", "-m", "plugin"]\n    cwd: sdks/python\n    env: {PYTHONUNBUFFERED: "1"}\n`);
    const python = process.platform === "win32" ? join(root, ".venv", "Scripts", "python.exe") : join(root, ".venv", "bin", "python");
    expect(loadSdks(path, root)).toEqual([
      { name: "node", command: [process.execPath, "plugin.ts"], cwd: root, env: {}, features: ["streaming"] },
      { name: "python", command: [python, "-m", "plugin"], cwd: join(root, "sdks", "python"), env: { PYTHONUNBUFFERED: "1" }, features: [] },
    ]);
  });

  it("refuses a file without a non-empty sdks list", () => {
    for (const text of ["sdks: []\n", "- name: node\n", "other: 1\n"]) {
      writeFileSync(path, text);
      expect(() => loadSdks(path, root)).toThrow(`${path}: expected a map with a non-empty list "sdks"`);
    }
  });

  it("lists every problem of the entries at once", () => {
    writeFileSync(path, [
      "sdks:",
      "  - just-a-name",
      "  - name: Host",
      "    command: node plugin.ts",
      "    cwd: 3",
      "    env: {A: 1}",
      "    features: [streaming, telepathy]",
      "    shell: true",
      "  - name: host",
      "    command: []",
      "    features: streaming",
      "",
    ].join("\n"));
    let message = "";
    try {
      loadSdks(path, root);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split("\n")).toEqual([
      `${path} has 10 problem(s):`,
      `  - ${path}: sdks[0]: an SDK entry must be a map with name, command, cwd, env, features`,
      `  - ${path}: sdks[1]: unknown key shell; an entry has name, command, cwd, env, features`,
      `  - ${path}: sdks[1]: name must be lowercase letters, digits and - (and not "host"); got "Host"`,
      `  - ${path}: sdks[1]: command must be a non-empty list of strings (program and arguments, no shell)`,
      `  - ${path}: sdks[1]: cwd must be a path relative to the repository root`,
      `  - ${path}: sdks[1]: env must map names to strings`,
      `  - ${path}: sdks[1]: unknown feature(s) ["telepathy"]; the features are ${features.join(", ")}`,
      `  - ${path}: sdks[2]: name must be lowercase letters, digits and - (and not "host"); got "host"`,
      `  - ${path}: sdks[2]: command must be a non-empty list of strings (program and arguments, no shell)`,
      `  - ${path}: sdks[2]: features must be a list, such as [streaming, validation]; got "streaming"`,
    ]);
  });

  it("refuses an SDK listed twice", () => {
    writeFileSync(path, `sdks:\n  - {name: node, command: [a]}\n  - {name: node, command: [b]}\n`);
    expect(() => loadSdks(path, root)).toThrow(`${path}: SDK name(s) listed twice: node`);
  });

  it("reads the repository's own registry", () => {
    const repo = fileURLToPath(new URL("../../", import.meta.url));
    const sdks = loadSdks(join(repo, "conformance", "sdks.yaml"), repo);
    expect(sdks.map((s) => s.name)).toContain("node");
    expect(sdks.find((s) => s.name === "node")!.command[0]).toBe(process.execPath);
  });
});
