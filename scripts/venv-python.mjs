// Runs the Python of the repository's virtual environment (.venv, made by scripts/setup.sh)
// with the given arguments: .venv/bin/python on Linux and macOS, .venv\Scripts\python.exe on
// Windows. Nx targets call Python through it so that one command works on every OS.
// Usage: node scripts/venv-python.mjs [python arguments...]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const venv = fileURLToPath(new URL("../.venv/", import.meta.url));
const python = process.platform === "win32" ? `${venv}Scripts\\python.exe` : `${venv}bin/python`;
if (!existsSync(python)) {
  console.error(`venv-python: ${python} does not exist; run "bash scripts/setup.sh" first to create the virtual environment`);
  process.exit(2);
}
const run = spawnSync(python, process.argv.slice(2), { stdio: "inherit" });
if (run.error) {
  console.error(`venv-python: cannot run ${python}: ${run.error.message}`);
  process.exit(2);
}
process.exit(run.status ?? 1);
