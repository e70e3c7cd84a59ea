// Sums the JUnit XML files of every test runner (vitest, pytest, gotestsum) and the checks
// of scripts/test.sh into one closing line: "N passed, N failed[, N skipped]".
// Usage: node scripts/junit-summary.mjs DIR [name|pass|fail|seconds ...]
// Exits 1 when anything failed or no test ran.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [dir, ...checkArgs] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node scripts/junit-summary.mjs DIR [name|pass|fail|seconds ...]");
  process.exit(2);
}

const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
const checks = checkArgs.map((arg) => {
  const [name, outcome, seconds] = arg.split("|");
  return { name, failed: outcome !== "pass", seconds: Number(seconds) || 0 };
});
// The checks become a JUnit file of their own, so that CI systems show them too.
writeFileSync(
  join(dir, "checks.xml"),
  `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n<testsuite name="checks" tests="${checks.length}" failures="${checks.filter((c) => c.failed).length}" errors="0" skipped="0">\n${checks
    .map((c) => `<testcase classname="checks" name="${escape(c.name)}" time="${c.seconds}">${c.failed ? `<failure message="${escape(c.name)} failed"/>` : ""}</testcase>`)
    .join("\n")}\n</testsuite>\n</testsuites>\n`,
);

const attr = (tag, name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(tag)?.[1] ?? 0);
const rows = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith(".xml")).sort()) {
  const xml = readFileSync(join(dir, file), "utf8");
  let tests = 0, failed = 0, skipped = 0;
  // Count <testsuite> elements (not the <testsuites> wrapper), which every runner writes.
  for (const match of xml.matchAll(/<testsuite\b[^>]*>/g)) {
    tests += attr(match[0], "tests");
    failed += attr(match[0], "failures") + attr(match[0], "errors");
    skipped += attr(match[0], "skipped");
  }
  rows.push({ file, passed: tests - failed - skipped, failed, skipped });
}

const total = rows.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log("");
console.log("=== summary");
for (const r of rows) console.log(`${r.file.padEnd(20)} ${String(r.passed).padStart(6)} passed ${String(r.failed).padStart(4)} failed ${String(r.skipped).padStart(4)} skipped`);
for (const c of checks.filter((c) => c.failed)) console.log(`FAILED: ${c.name}`);
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
