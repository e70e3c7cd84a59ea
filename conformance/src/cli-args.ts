// The conformance runner's command line: flags parsed with node:util parseArgs, and the
// choice of subjects (--sdk) checked against the registered SDKs.

import { parseArgs } from "node:util";
import { HOST_SUBJECT } from "./results.js";
import { DEFAULT_CONCURRENCY } from "./scheduler.js";

/** CliOptions are the runner's flags, parsed. */
export interface CliOptions {
  /** The subjects --sdk named (SDK names or "host"); undefined runs every SDK and the host cases. */
  subjects: string[] | undefined;
  /** The --case globs; empty runs every case. */
  cases: string[];
  /** --verbose: print each result as it ends, and the trace of each failure. */
  verbose: boolean;
  /** --concurrency: how many case runs at once. Default DEFAULT_CONCURRENCY. */
  concurrency: number;
  /** --junit: the JUnit XML file, relative to the repository root. */
  junit: string;
  /** --markdown: the Markdown matrix file, relative to the repository root. */
  markdown: string;
  /** --list: print the case ids and exit. */
  list: boolean;
  /** --help: print the usage and exit. */
  help: boolean;
}

/** UsageError is a mistake on the command line; the runner prints it and exits with status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** usage is the runner's --help text. */
export const usage = `Usage: npm run conformance -- [flags]

Runs the conformance cases (conformance/cases) against the host and every SDK registered in
conformance/sdks.yaml, prints the matrix and ends with "N passed, N failed".

Flags:
  --sdk NAME        run only these subjects: SDK names, or "host" for the host cases;
                    repeat it or give a comma-separated list (default: all of them)
  --case GLOB       run only the cases whose id (suite/name) matches; * matches within a
                    segment, ** across segments; repeatable
  --verbose         print every result as it ends, and the trace of each failing case
  --concurrency N   how many cases run at once (default ${DEFAULT_CONCURRENCY}); exclusive cases run alone
  --junit PATH      the JUnit XML report (default reports/junit/conformance.xml)
  --markdown PATH   the Markdown matrix (default reports/conformance/matrix.md)
  --list            print the case ids with their kind, section and required features, and exit
  --help            print this text

Relative paths are resolved from the repository root. Exit status: 0 when nothing failed,
1 when a case failed, errored, timed out or passed while known-failing (or a known-failing
pattern is stale), 2 on a usage error.`;

/** parseCliArgs parses the runner's arguments (without node and the script), throwing a UsageError when they are wrong. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        sdk: { type: "string", multiple: true },
        case: { type: "string", multiple: true },
        verbose: { type: "boolean", default: false },
        concurrency: { type: "string" },
        junit: { type: "string", default: "reports/junit/conformance.xml" },
        markdown: { type: "string", default: "reports/conformance/matrix.md" },
        list: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; run with --help for the flags`);
  }
  const subjects = values.sdk?.flatMap((list) => list.split(",")).map((name) => name.trim()).filter((name) => name !== "");
  if (subjects !== undefined && subjects.length === 0) throw new UsageError("--sdk needs a name (an SDK of conformance/sdks.yaml, or host)");
  return {
    subjects,
    cases: values.case ?? [],
    verbose: values.verbose,
    concurrency: concurrency(values.concurrency),
    junit: values.junit,
    markdown: values.markdown,
    list: values.list,
    help: values.help,
  };
}

function concurrency(text: string | undefined): number {
  if (text === undefined) return DEFAULT_CONCURRENCY;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--concurrency must be a whole number ≥ 1; got ${JSON.stringify(text)}`);
  return n;
}

/**
 * selectSubjects turns --sdk's names into what runs: whether the host cases run, and which SDKs
 * (in registry order). Without names everything runs. An unknown name is a UsageError listing
 * the names there are.
 */
export function selectSubjects(requested: readonly string[] | undefined, sdkNames: readonly string[]): { host: boolean; sdks: string[] } {
  if (requested === undefined) return { host: true, sdks: [...sdkNames] };
  const known = [HOST_SUBJECT, ...sdkNames];
  const unknown = requested.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new UsageError(`unknown --sdk ${unknown.map((n) => JSON.stringify(n)).join(", ")}; the names are ${known.join(", ")}`);
  return { host: requested.includes(HOST_SUBJECT), sdks: sdkNames.filter((name) => requested.includes(name)) };
}
