import { fileURLToPath } from "node:url";
import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// The runner's unit tests (and the executors' own tests), run from the repository root with
// `vitest run --config conformance/vitest.config.ts`. The "@polyproc/source" condition makes
// workspace packages resolve to their TypeScript sources, so tests never run against a stale build.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  ssr: { resolve: { conditions: ["@polyproc/source", ...defaultServerConditions] } },
  resolve: { conditions: ["@polyproc/source", ...defaultServerConditions] },
  test: {
    include: ["src/**/*.spec.ts", "plugins/**/*.spec.ts"],
    testTimeout: 60_000,
    reporters: ["default", "junit"],
    outputFile: { junit: fileURLToPath(new URL("../reports/junit/conformance-unit.xml", import.meta.url)) },
  },
});
