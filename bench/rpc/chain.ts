import { fileURLToPath } from "node:url";
import { PluginHost } from "@polyproc/host";
import type { OpenOptions, RpcClient } from "./closed-loop.js";
import { ADD_ARGS } from "./frame-sizes.js";
import { pluginPids } from "./polyproc.js";
import { repoRoot, tsNodeArgs } from "./server-process.js";

const addPath = fileURLToPath(new URL("./add-plugin.ts", import.meta.url));
const relayPath = fileURLToPath(new URL("./relay-plugin.ts", import.meta.url));

/**
 * openChain starts the chain scenario, a plugin → host → plugin call: each call is
 * `host.call("front", "relay", ...)`, whose handler in relay-plugin.ts calls `add` of the
 * plugin "bench" (add-plugin.ts, the polyproc scenario's plugin) with `ctx.call`, routed by
 * the host. One instance each, 1 024 calls at once, so that no pool caps the loop.
 */
export async function openChain(options: OpenOptions): Promise<RpcClient> {
  const node = [process.execPath, ...options.nodeArgs, ...tsNodeArgs];
  const host = await PluginHost.start({
    plugins: [
      { name: "bench", command: [...node, addPath], cwd: repoRoot, maxConcurrency: 1024 },
      { name: "front", command: [...node, relayPath], cwd: repoRoot, maxConcurrency: 1024, permissions: { call: ["bench.add"] } },
    ],
  });
  return {
    issue(done) {
      host.call("front", "relay", ADD_ARGS).then(() => done(), done);
    },
    close: () => host.close(),
    processes: () => pluginPids(host),
  };
}
