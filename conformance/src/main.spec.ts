import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "conformance-main-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** runMain runs the runner in a real process, from conformance/ (not the root) to show that paths do not depend on the cwd. */
function runMain(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--conditions=@polyproc/source", "--import", "tsx", join(root, "conformance", "src", "main.ts"), ...args], { cwd: join(root, "conformance") }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

describe("the conformance runner's command line", () => {
  it("prints its usage with --help", async () => {
    const { status, stdout } = await runMain("--help");
    expect(status).toBe(0);
    expect(stdout).toContain("Usage: npm run conformance -- [flags]");
  });

  it("exits 2 on a usage error, saying what was wrong", async () => {
    const [unknownFlag, unknownSdk, noCase] = await Promise.all([runMain("--fast"), runMain("--sdk", "cobol"), runMain("--case", "no-such-suite/*")]);
    expect(unknownFlag.status).toBe(2);
    expect(unknownFlag.stderr).toMatch(/^conformance: .*--fast.*--help/);
    expect(unknownSdk.status).toBe(2);
    expect(unknownSdk.stderr).toMatch(/unknown --sdk "cobol"; the names are host, node/);
    expect(noCase.status).toBe(2);
    expect(noCase.stderr).toContain('--case "no-such-suite/*" matches no case');
  });

  it("lists the cases, then runs one and writes its reports", async () => {
    const list = await runMain("--list", "--sdk", "host");
    expect(list.status).toBe(0);
    const hostCase = list.stdout.split("\n").map((line) => line.split(/\s+/)).find((fields) => fields[1] === "host")?.[0];
    expect(hostCase).toBeDefined();
    const junit = join(out, "junit.xml");
    const markdown = join(out, "matrix.md");
    const run = await runMain("--sdk", "host", "--case", hostCase!, "--junit", junit, "--markdown", markdown);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(/^(1 passed, 0 failed|0 passed, 1 failed)$/);
    expect(run.status).toBe(lines.at(-1) === "1 passed, 0 failed" ? 0 : 1);
    expect(lines.at(-2)).toBe("(0 n/a, 0 known-failing)");
    expect(run.stdout).toContain(`| ${hostCase} |`);
    expect(readFileSync(junit, "utf8").match(/<testcase /g)).toHaveLength(1);
    expect(readFileSync(markdown, "utf8")).toContain("| case | § | host |");
  });
});
