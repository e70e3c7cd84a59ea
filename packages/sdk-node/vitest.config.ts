import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// The "@polyproc/source" condition makes workspace packages resolve to their TypeScript
// sources, so tests never run against a stale build.
export default defineConfig({
  ssr: { resolve: { conditions: ["@polyproc/source", ...defaultServerConditions] } },
  resolve: { conditions: ["@polyproc/source", ...defaultServerConditions] },
  test: {
    include: ["src/**/*.spec.ts"],
    testTimeout: 60_000,
    reporters: ["default", "junit"],
    outputFile: { junit: "../../reports/junit/sdk-node.xml" },
  },
});
