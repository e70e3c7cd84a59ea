// Regenerates every generated file (protobuf code for TS, Python and Go; the test vectors)
// and fails when anything differs from what was there: generated code is committed and
// must match its sources (STYLE.md "Generated code"). Prints the files that changed.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const generated = [
  "packages/protocol/src/gen",
  "sdks/python/src/polyproc/v1",
  "sdks/go/internal/gen",
  "spec/vectors/valid",
  "spec/vectors/invalid",
];

function snapshot() {
  const files = new Map();
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === "__pycache__") continue;
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), createHash("sha256").update(readFileSync(path)).digest("hex"));
    }
  };
  for (const dir of generated) walk(join(root, dir));
  return files;
}

function run(args) {
  console.log(`$ npx ${args.join(" ")}`);
  execFileSync("npx", args, { cwd: root, stdio: "inherit", env: { ...process.env, NX_DAEMON: "false", NX_TUI: "false" } });
}

const before = snapshot();
run(["nx", "run-many", "-t", "generate", "--output-style=static"]);
run(["nx", "run", "spec:vectors", "--output-style=static"]);
const after = snapshot();

const changed = [];
for (const [path, hash] of after) if (before.get(path) !== hash) changed.push(before.has(path) ? `changed: ${path}` : `added:   ${path}`);
for (const path of before.keys()) if (!after.has(path)) changed.push(`removed: ${path}`);
if (changed.length > 0) {
  console.error(`\nGenerated files differ from their sources:\n  ${changed.join("\n  ")}`);
  console.error("Run `node scripts/check-generated.mjs` (or `npx nx run-many -t generate && npx nx run spec:vectors`), review and commit the result.");
  process.exit(1);
}
if (process.env.CI && existsSync(join(root, ".git"))) {
  const status = execFileSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8" });
  if (status.trim() !== "") {
    console.error(`\ngit status is not clean after regeneration:\n${status}`);
    process.exit(1);
  }
}
console.log(`generated code is up to date (${after.size} files checked)`);
