// Case-id globs, as --case and the known-failing files write them (spec/CONFORMANCE.md §5):
// `*` matches within one `/` segment, `**` across segments, every other character itself.

/** CaseGlob is a compiled glob: its text and a predicate over case ids. */
export interface CaseGlob {
  /** The glob as written. */
  pattern: string;
  /** matches says whether a case id (`suite/name`) matches the whole glob. */
  matches(id: string): boolean;
}

/**
 * compileGlob compiles a case-id glob: `calls/*` matches every case of the calls suite,
 * `calls/add-*` its add cases, `**` every case; anything else is literal.
 */
export function compileGlob(pattern: string): CaseGlob {
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) => (part === "**" ? ".*" : part === "*" ? "[^/]*" : escapeRegExp(part)))
    .join("");
  const regex = new RegExp(`^${source}$`);
  return { pattern, matches: (id) => regex.test(id) };
}

/** matchesAny says whether `id` matches at least one of `globs`. */
export function matchesAny(globs: readonly CaseGlob[], id: string): boolean {
  return globs.some((glob) => glob.matches(id));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
