// Reads conformance/sdks.yaml: the SDKs the suite runs against, each with its conformance
// plugin's command and the features it declares (spec/CONFORMANCE.md §4).

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { type Feature, type SdkEntry, features } from "./case-types.js";
import { isRecord } from "./load-cases.js";

const entryKeys = new Set(["name", "command", "cwd", "env", "features"]);

/**
 * loadSdks reads the registry at `path`. `{node}` in a command becomes the running Node binary
 * and `{python}` the virtual environment's Python (`.venv` at the root); `cwd` is resolved from
 * `root`. It throws an Error listing every problem of the file.
 */
export function loadSdks(path: string, root: string): SdkEntry[] {
  const document: unknown = parse(readFileSync(path, "utf8"));
  const problems: string[] = [];
  const list = isRecord(document) ? document.sdks : undefined;
  if (!Array.isArray(list) || list.length === 0) throw new Error(`${path}: expected a map with a non-empty list "sdks"`);
  const sdks = list.flatMap((raw, index): SdkEntry[] => {
    const where = `${path}: sdks[${index}]`;
    if (!isRecord(raw)) {
      problems.push(`${where}: an SDK entry must be a map with ${[...entryKeys].join(", ")}`);
      return [];
    }
    for (const key of Object.keys(raw)) if (!entryKeys.has(key)) problems.push(`${where}: unknown key ${key}; an entry has ${[...entryKeys].join(", ")}`);
    const { name, command, cwd = ".", env = {}, features: declared = [] } = raw;
    if (typeof name !== "string" || !/^[a-z][a-z0-9-]*$/.test(name) || name === "host") problems.push(`${where}: name must be lowercase letters, digits and - (and not "host"); got ${JSON.stringify(name)}`);
    if (!Array.isArray(command) || command.length === 0 || !command.every((a) => typeof a === "string")) problems.push(`${where}: command must be a non-empty list of strings (program and arguments, no shell)`);
    if (typeof cwd !== "string") problems.push(`${where}: cwd must be a path relative to the repository root`);
    if (!isRecord(env) || !Object.values(env).every((v) => typeof v === "string")) problems.push(`${where}: env must map names to strings`);
    if (!Array.isArray(declared)) problems.push(`${where}: features must be a list, such as [streaming, validation]; got ${JSON.stringify(declared)}`);
    const unknown = Array.isArray(declared) ? declared.filter((f) => !features.includes(f as Feature)) : [];
    if (unknown.length > 0) problems.push(`${where}: unknown feature(s) ${JSON.stringify(unknown)}; the features are ${features.join(", ")}`);
    if (problems.length > 0) return [];
    return [{
      name: name as string,
      command: (command as string[]).map((arg) => expand(arg, root)),
      cwd: resolve(root, cwd as string),
      env: env as Record<string, string>,
      features: declared as Feature[],
    }];
  });
  const names = sdks.map((s) => s.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length > 0) problems.push(`${path}: SDK name(s) listed twice: ${twice.join(", ")}`);
  if (problems.length > 0) throw new Error(`${path} has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return sdks;
}

function expand(arg: string, root: string): string {
  const python = process.platform === "win32" ? join(root, ".venv", "Scripts", "python.exe") : join(root, ".venv", "bin", "python");
  return arg.replaceAll("{node}", process.execPath).replaceAll("{python}", python);
}
