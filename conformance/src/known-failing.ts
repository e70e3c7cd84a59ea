// The known-failing lists (spec/CONFORMANCE.md §5): conformance/known-failing/<subject>.txt
// names the cases a subject (an SDK, or "host" for host cases) is known to fail, each with a
// reason. A listed case that fails is `xfail`, a listed case that passes is `xpass` (the line
// must go), and a pattern that matches no case that ran is stale; both fail the run, so that
// the lists stay true.

import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { type CaseGlob, compileGlob } from "./glob.js";
import type { CaseResult, KnownFailure, StalePattern } from "./results.js";

const PATTERN = /^[a-z0-9*/-]+$/;

/** KnownFailingEntry is one line of a known-failing file. */
export interface KnownFailingEntry extends KnownFailure {
  glob: CaseGlob;
}

/** KnownFailingList is the known-failing file of one subject; a missing file lists nothing. */
export interface KnownFailingList {
  subject: string;
  entries: KnownFailingEntry[];
}

/** KnownFailingError lists every malformed line of the known-failing files, as file:line. */
export class KnownFailingError extends Error {
  override name = "KnownFailingError";
  constructor(readonly problems: string[]) {
    super(`the known-failing files have ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/**
 * parseKnownFailing reads the text of a known-failing file named `file` (for messages). Each
 * line is `pattern  # reason` (a case id or glob, then the reason, which is required); blank
 * lines and lines starting with `#` are ignored. It throws a KnownFailingError naming
 * file:line for each malformed line.
 */
export function parseKnownFailing(text: string, file: string): KnownFailingEntry[] {
  const problems: string[] = [];
  const entries: KnownFailingEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const where = `${file}:${index + 1}`;
    const hash = line.indexOf("#");
    const pattern = (hash < 0 ? line : line.slice(0, hash)).trim();
    const reason = hash < 0 ? "" : line.slice(hash + 1).trim();
    if (!PATTERN.test(pattern)) {
      problems.push(`${where}: ${JSON.stringify(pattern)} is not a case id or glob (suite/name, with * or **)`);
    } else if (reason === "") {
      problems.push(`${where}: ${pattern} needs a reason: write "${pattern}  # why it fails"`);
    } else {
      entries.push({ pattern, reason, where, glob: compileGlob(pattern) });
    }
  });
  if (problems.length > 0) throw new KnownFailingError(problems);
  return entries;
}

/**
 * loadKnownFailing reads `<directory>/<subject>.txt` for each subject; a subject without a
 * file lists nothing. Messages name files relative to `root`. It throws a KnownFailingError
 * listing the problems of every file.
 */
export function loadKnownFailing(directory: string, subjects: readonly string[], root: string): KnownFailingList[] {
  const problems: string[] = [];
  const lists = subjects.map((subject): KnownFailingList => {
    const path = join(directory, `${subject}.txt`);
    if (!existsSync(path)) return { subject, entries: [] };
    try {
      return { subject, entries: parseKnownFailing(readFileSync(path, "utf8"), relative(root, path)) };
    } catch (error) {
      if (!(error instanceof KnownFailingError)) throw error;
      problems.push(...error.problems);
      return { subject, entries: [] };
    }
  });
  if (problems.length > 0) throw new KnownFailingError(problems);
  return lists;
}

/**
 * judge applies the subject's known-failing list to a raw result: a listed fail, error or
 * timeout becomes `xfail` (keeping the actual outcome), a listed pass becomes `xpass`.
 * Results of subjects without a list, unlisted results and `n/a` are returned unchanged.
 */
export function judge(result: CaseResult, lists: readonly KnownFailingList[]): CaseResult {
  if (result.outcome === "n/a" || result.outcome === "xfail" || result.outcome === "xpass") return result;
  const entry = lists.find((list) => list.subject === result.subject)?.entries.find((e) => e.glob.matches(result.testCase.id));
  if (entry === undefined) return result;
  const knownFailure: KnownFailure = { pattern: entry.pattern, reason: entry.reason, where: entry.where };
  if (result.outcome === "pass") {
    return { ...result, outcome: "xpass", knownFailure, message: `passed, but ${entry.where} lists it as known-failing (${entry.pattern}  # ${entry.reason}): remove that line` };
  }
  return { ...result, outcome: "xfail", actual: result.outcome, knownFailure };
}

/**
 * stalePatterns returns the entries that match no case run of their subject (n/a runs do not
 * count). Call it only when every case ran: with a --case filter, a pattern may match cases
 * that were filtered out.
 */
export function stalePatterns(results: readonly CaseResult[], lists: readonly KnownFailingList[]): StalePattern[] {
  return lists.flatMap((list) => {
    const ran = results.filter((r) => r.subject === list.subject && r.outcome !== "n/a").map((r) => r.testCase.id);
    return list.entries
      .filter((entry) => !ran.some((id) => entry.glob.matches(id)))
      .map((entry) => ({ subject: list.subject, pattern: entry.pattern, where: entry.where }));
  });
}
