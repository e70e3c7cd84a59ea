// The shapes the runner and the case executors share: a case as loaded from
// conformance/cases/*.yaml, an SDK as registered in conformance/sdks.yaml, and the contract
// every executor (one per case kind) fulfils.

/**
 * CaseKind says what a case tests and how it runs:
 * - `sdk`: the real host (@polyproc/host, in the runner's process) with an SDK's conformance
 *   plugin; runs once per registered SDK.
 * - `host`: the real host against a scripted fake plugin that the runner drives in frames;
 *   tests the host alone, runs once.
 * - `plugin`: a scripted fake host, driven in frames, against an SDK's conformance plugin;
 *   tests the SDK alone, runs once per registered SDK.
 */
export type CaseKind = "sdk" | "host" | "plugin";

/** caseKinds lists every CaseKind. */
export const caseKinds: readonly CaseKind[] = ["sdk", "host", "plugin"];

/**
 * Feature is something an SDK may or may not offer yet (spec/CONFORMANCE.md §2). A case that
 * requires a feature its SDK does not declare is reported "n/a" for that SDK.
 */
export type Feature = "streaming" | "validation" | "concurrency-limit" | "host-calls" | "plugin-calls" | "pubsub" | "tracing";

/** features lists every Feature. */
export const features: readonly Feature[] = ["streaming", "validation", "concurrency-limit", "host-calls", "plugin-calls", "pubsub", "tracing"];

/** hostFeatures are the features of the host this runner embeds; `host` cases are checked against them. */
export const hostFeatures: readonly Feature[] = ["streaming", "validation", "concurrency-limit"];

/** ConformanceCase is one case of a suite file, with the file's defaults applied. */
export interface ConformanceCase {
  /** `suite/name`: what --case globs and known-failing patterns match. */
  id: string;
  /** The suite: the YAML file's name without `.yaml`. */
  suite: string;
  /** The case's name, kebab-case, unique in its suite. */
  name: string;
  kind: CaseKind;
  /** The PROTOCOL.md section the case checks, such as "5.3" or "15". */
  section: string;
  /** One sentence: what the case shows. */
  description: string;
  /** Features the SDK (or, for `host` cases, the host) needs for the case to apply. */
  requires: Feature[];
  /** The case fails as `timeout` when it runs longer. Default 10 000 ms. */
  timeoutMs: number;
  /** The case runs alone, not beside others (for cases whose timing a busy machine would upset). */
  exclusive: boolean;
  /** Kind-specific setup, checked by the kind's executor. Default {}. */
  setup: Record<string, unknown>;
  /** Kind-specific steps, checked by the kind's executor. */
  steps: Record<string, unknown>[];
  /** The file the case came from, relative to the repository root, for error messages. */
  file: string;
}

/** SdkEntry is one SDK registered in conformance/sdks.yaml. */
export interface SdkEntry {
  /** The SDK's short name: `node`, `python`, `go`. Names the matrix column and known-failing file. */
  name: string;
  /** The conformance plugin's command, run without a shell from `cwd`. `{node}` is replaced with the running Node binary. */
  command: string[];
  /** The working directory, absolute (resolved from the repository root). */
  cwd: string;
  /** Variables added for the plugin. */
  env: Record<string, string>;
  /** The features the SDK declares. */
  features: Feature[];
}

/** CaseContext is what the runner gives an executor for one run of one case. */
export interface CaseContext {
  /** The SDK under test; undefined for `host` cases. */
  sdk: SdkEntry | undefined;
  /** Aborted when the case's timeout passes; executors stop waiting and clean up when it fires. */
  signal: AbortSignal;
  /**
   * trace records one line of what happened (a step, a frame sent or received, an event, a
   * plugin's stderr line). The runner prints the trace of a failing case with --verbose.
   */
  trace(line: string): void;
  /** A fresh directory for the case's files, removed after the case. */
  tmpDir: string;
  /** The repository root, absolute. */
  root: string;
}

/** CaseExecutor runs the cases of one kind. */
export interface CaseExecutor {
  kind: CaseKind;
  /** validate returns one message per problem in the case's setup and steps; [] when fine. */
  validate(testCase: ConformanceCase): string[];
  /**
   * run runs the case. It resolves when every expectation held, rejects with a CaseFailure
   * when one did not, and with any other Error when the case could not be run (counted as
   * `error`). It must leave no process or socket behind, also when ctx.signal aborts.
   */
  run(testCase: ConformanceCase, ctx: CaseContext): Promise<void>;
}

/** CaseFailure is an expectation of a case that did not hold; its message says what was expected and what happened. */
export class CaseFailure extends Error {
  override name = "CaseFailure";
}
