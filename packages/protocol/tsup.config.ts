import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", "node/index": "src/node/index.ts" },
  format: ["esm", "cjs"],
  dts: { compilerOptions: { types: ["node"] } },
  sourcemap: true,
  clean: true,
  target: "node20",
  // The node subpath refers to the package's main entry by name, rather than bundling a copy.
  external: ["@polyproc/protocol"],
});
