// The conformance runner (spec/CONFORMANCE.md): loads the cases, the SDK registry and the
// known-failing lists, runs every case against the host and each selected SDK, prints the
// matrix and writes it as Markdown and JUnit XML, and ends with "N passed, N failed".
// Run from the repository root: node --conditions=@polyproc/source --import tsx conformance/src/main.ts [flags]

import { mkdirSync, writeFileSync } from "node:fs";
import { arch, platform } from "node:os";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ConformanceCase } from "./case-types.js";
import { UsageError, parseCliArgs, selectSubjects, usage } from "./cli-args.js";
import { executors } from "./executors.js";
import { compileGlob } from "./glob.js";
import { judge, loadKnownFailing, stalePatterns } from "./known-failing.js";
import { loadCases } from "./load-cases.js";
import { consoleReport, resultLine } from "./report-console.js";
import { junitXml } from "./report-junit.js";
import { markdownMatrix, markdownReport } from "./report-markdown.js";
import { HOST_SUBJECT, summarize } from "./results.js";
import { planJobs, runJobs } from "./scheduler.js";
import { loadSdks } from "./sdk-registry.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** runConformance runs the command line `argv` and returns the exit status: 0 all good, 1 failures, 2 usage error. */
async function runConformance(argv: readonly string[]): Promise<number> {
  const options = parseCliArgs(argv);
  if (options.help) {
    print(usage);
    return 0;
  }
  const allCases = loadCases(join(root, "conformance", "cases"), root, executors);
  const registry = loadSdks(join(root, "conformance", "sdks.yaml"), root);
  const chosen = selectSubjects(options.subjects, registry.map((sdk) => sdk.name));
  const cases = selectCases(allCases, options.cases);
  if (options.list) {
    print(listing(cases));
    return 0;
  }
  const sdks = registry.filter((sdk) => chosen.sdks.includes(sdk.name));
  const subjects = [...(chosen.host ? [HOST_SUBJECT] : []), ...chosen.sdks];
  const lists = loadKnownFailing(join(root, "conformance", "known-failing"), subjects, root);
  const jobs = planJobs(cases, { host: chosen.host, sdks });
  print(`running ${jobs.length} case run(s): ${cases.length} case(s) × ${subjects.join(", ")}, ${options.concurrency} at once`);
  const results = await runJobs(jobs, {
    executors,
    root,
    concurrency: options.concurrency,
    judge: (result) => judge(result, lists),
    onResult: options.verbose ? (result) => print(resultLine(result)) : undefined,
  });
  const stale = options.cases.length === 0 ? stalePatterns(results, lists) : [];
  const environment = `${platform()} ${arch()}, Node ${process.version}`;
  const written = [
    write(options.junit, junitXml(results, stale, subjects)),
    write(options.markdown, markdownReport(results, stale, { columns: subjects, environment })),
  ];
  print("", markdownMatrix(results, subjects));
  print(`wrote ${written.join(" and ")}`, "");
  print(...consoleReport(results, stale, options.verbose));
  return summarize(results, stale).failed === 0 ? 0 : 1;
}

/** selectCases keeps the cases matching any --case glob (all without globs); a glob matching nothing is a usage error. */
function selectCases(cases: readonly ConformanceCase[], patterns: readonly string[]): ConformanceCase[] {
  if (patterns.length === 0) return [...cases];
  const globs = patterns.map(compileGlob);
  const unmatched = globs.filter((glob) => !cases.some((c) => glob.matches(c.id)));
  if (unmatched.length > 0) throw new UsageError(`--case ${unmatched.map((g) => JSON.stringify(g.pattern)).join(", ")} matches no case; --list shows the case ids`);
  return cases.filter((c) => globs.some((glob) => glob.matches(c.id)));
}

function listing(cases: readonly ConformanceCase[]): string {
  const width = Math.max(0, ...cases.map((c) => c.id.length));
  return cases.map((c) => `${c.id.padEnd(width)}  ${c.kind.padEnd(6)}  §${c.section.padEnd(6)}  ${c.requires.length > 0 ? `requires ${c.requires.join(", ")}` : ""}`.trimEnd()).join("\n");
}

function write(path: string, text: string): string {
  const absolute = resolve(root, path);
  mkdirSync(dirname(absolute), { recursive: true });
  writeFileSync(absolute, text);
  const inside = relative(root, absolute);
  return inside.startsWith("..") || isAbsolute(inside) ? absolute : inside;
}

function print(...lines: string[]): void {
  process.stdout.write(`${lines.join("\n")}\n`);
}

function exit(status: number): void {
  process.stdout.write("", () => process.exit(status));
}

runConformance(process.argv.slice(2)).then(exit, (error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`conformance: ${error.message}\n`);
    exit(2);
    return;
  }
  process.stderr.write(`conformance: ${error instanceof Error ? error.message : String(error)}\n`);
  print("0 passed, 1 failed");
  exit(1);
});
