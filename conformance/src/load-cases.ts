// Loads conformance/cases/*.yaml into ConformanceCases: parses each suite file, checks the
// fields every case has, applies the file's defaults, and lets each kind's executor check its
// own setup and steps. Every problem is reported with its file and case, all at once.

import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { type CaseExecutor, type CaseKind, type ConformanceCase, type Feature, caseKinds, features } from "./case-types.js";

const DEFAULT_TIMEOUT_MS = 10_000;
const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SECTION = /^\d+(\.\d+)*$/;
const fileKeys = new Set(["suite", "description", "kind", "requires", "cases"]);
const caseKeys = new Set(["name", "section", "description", "kind", "requires", "timeoutMs", "exclusive", "setup", "steps"]);

/** CaseLoadError lists every problem found in the case files. */
export class CaseLoadError extends Error {
  override name = "CaseLoadError";
  constructor(readonly problems: string[]) {
    super(`the conformance cases have ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/**
 * loadCases reads every `*.yaml` file of `directory` (sorted by name) and returns their cases
 * in file order. `executors` check the kind-specific parts. It throws a CaseLoadError listing
 * every problem: unknown keys, missing fields, bad names, duplicate ids, unknown features.
 */
export function loadCases(directory: string, root: string, executors: ReadonlyMap<CaseKind, CaseExecutor>): ConformanceCase[] {
  const problems: string[] = [];
  const cases: ConformanceCase[] = [];
  const files = readdirSync(directory).filter((f) => f.endsWith(".yaml")).sort();
  for (const file of files) {
    const path = join(directory, file);
    const where = relative(root, path);
    let document: unknown;
    try {
      document = parse(readFileSync(path, "utf8"));
    } catch (error) {
      problems.push(`${where}: not valid YAML: ${(error as Error).message}`);
      continue;
    }
    cases.push(...suiteCases(document, file.slice(0, -".yaml".length), where, problems));
  }
  const seen = new Set<string>();
  for (const testCase of cases) {
    if (seen.has(testCase.id)) problems.push(`${testCase.file}: the case ${testCase.id} is defined twice; give each case of a suite its own name`);
    seen.add(testCase.id);
    const executor = executors.get(testCase.kind);
    if (executor === undefined) problems.push(`${testCase.file}: ${testCase.id}: no executor runs ${testCase.kind} cases`);
    else problems.push(...executor.validate(testCase).map((p) => `${testCase.file}: ${testCase.id}: ${p}`));
  }
  if (problems.length > 0) throw new CaseLoadError(problems);
  return cases;
}

function suiteCases(document: unknown, suite: string, file: string, problems: string[]): ConformanceCase[] {
  if (!isRecord(document)) {
    problems.push(`${file}: a suite file must be a map with suite, description and cases`);
    return [];
  }
  for (const key of Object.keys(document)) if (!fileKeys.has(key)) problems.push(`${file}: unknown key ${key}; a suite file has ${[...fileKeys].join(", ")}`);
  if (document.suite !== suite) problems.push(`${file}: suite must be ${JSON.stringify(suite)}, the file's name; got ${JSON.stringify(document.suite)}`);
  if (typeof document.description !== "string" || document.description === "") problems.push(`${file}: give the suite a description`);
  let fileKind = document.kind ?? "sdk";
  if (!caseKinds.includes(fileKind as CaseKind)) {
    problems.push(`${file}: kind must be one of ${caseKinds.join(", ")}; got ${JSON.stringify(fileKind)}`);
    fileKind = "sdk"; // reported once here, not again for every case
  }
  const fileRequires = featureList(document.requires, `${file}: requires`, problems);
  if (!Array.isArray(document.cases) || document.cases.length === 0) {
    problems.push(`${file}: cases must be a non-empty list`);
    return [];
  }
  return document.cases.flatMap((raw, index) => {
    const testCase = oneCase(raw, { suite, file, index, kind: fileKind as CaseKind, requires: fileRequires }, problems);
    return testCase ? [testCase] : [];
  });
}

interface SuiteDefaults {
  suite: string;
  file: string;
  index: number;
  kind: CaseKind;
  requires: Feature[];
}

function oneCase(raw: unknown, defaults: SuiteDefaults, problems: string[]): ConformanceCase | undefined {
  const where = `${defaults.file}: cases[${defaults.index}]`;
  if (!isRecord(raw)) {
    problems.push(`${where}: a case must be a map`);
    return undefined;
  }
  const before = problems.length;
  for (const key of Object.keys(raw)) if (!caseKeys.has(key)) problems.push(`${where}: unknown key ${key}; a case has ${[...caseKeys].join(", ")}`);
  const name = raw.name;
  if (typeof name !== "string" || !NAME.test(name)) problems.push(`${where}: name must be kebab-case ([a-z0-9] words joined by -); got ${JSON.stringify(name)}`);
  // A whole number may go unquoted; "5.10" must be quoted, or YAML reads it as 5.1.
  const section = Number.isInteger(raw.section) ? String(raw.section) : raw.section;
  if (typeof section !== "string" || !SECTION.test(section)) problems.push(`${where}: section must name a PROTOCOL.md section as a quoted string such as "5.3"; got ${JSON.stringify(raw.section)}`);
  if (typeof raw.description !== "string" || raw.description === "") problems.push(`${where}: give the case a description`);
  const kind = raw.kind ?? defaults.kind;
  if (!caseKinds.includes(kind as CaseKind)) problems.push(`${where}: kind must be one of ${caseKinds.join(", ")}; got ${JSON.stringify(kind)}`);
  const requires = [...defaults.requires, ...featureList(raw.requires, `${where}: requires`, problems)];
  const timeoutMs = raw.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs !== "number" || !(timeoutMs > 0)) problems.push(`${where}: timeoutMs must be a positive number of ms; got ${JSON.stringify(raw.timeoutMs)}`);
  if (raw.exclusive !== undefined && typeof raw.exclusive !== "boolean") problems.push(`${where}: exclusive must be true or false`);
  const setup = raw.setup ?? {};
  if (!isRecord(setup)) problems.push(`${where}: setup must be a map`);
  const steps = raw.steps;
  if (!Array.isArray(steps) || steps.length === 0 || !steps.every(isRecord)) problems.push(`${where}: steps must be a non-empty list of maps`);
  if (problems.length > before) return undefined;
  return {
    id: `${defaults.suite}/${name as string}`,
    suite: defaults.suite,
    name: name as string,
    kind: kind as CaseKind,
    section: section as string,
    description: raw.description as string,
    requires: [...new Set(requires)],
    timeoutMs: timeoutMs as number,
    exclusive: raw.exclusive === true,
    setup: setup as Record<string, unknown>,
    steps: steps as Record<string, unknown>[],
    file: defaults.file,
  };
}

function featureList(value: unknown, where: string, problems: string[]): Feature[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${where} must be a list of features (${features.join(", ")})`);
    return [];
  }
  const unknown = value.filter((f) => !features.includes(f as Feature));
  if (unknown.length > 0) problems.push(`${where}: unknown feature(s) ${unknown.map((f) => JSON.stringify(f)).join(", ")}; the features are ${features.join(", ")}`);
  return value.filter((f): f is Feature => features.includes(f as Feature));
}

/** isRecord says whether a parsed YAML value is a map. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
