import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// The "@polyproc/source" condition makes workspace packages resolve to their TypeScript
// sources, so tests never run against a stale build. Without "module": the processes of the
// tests resolve with these conditions too, and the "module" builds of the OpenTelemetry
// packages use extensionless imports that Node cannot load.
const conditions = ["@polyproc/source", ...defaultServerConditions.filter((condition) => condition !== "module")];

export default defineConfig({
  ssr: { resolve: { conditions } },
  resolve: { conditions },
  test: {
    include: ["src/**/*.spec.ts"],
    testTimeout: 60_000,
    reporters: ["default", "junit"],
    outputFile: { junit: "../../reports/junit/host.xml" },
  },
});
