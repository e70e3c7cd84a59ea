import { fileURLToPath } from "node:url";
import { PluginHost } from "@polyproc/host";
import type { OpenOptions, RpcClient } from "./closed-loop.js";
import { ADD_ARGS } from "./frame-sizes.js";
import { repoRoot, tsNodeArgs } from "./server-process.js";

const pluginPath = fileURLToPath(new URL("./add-plugin.ts", import.meta.url));

/**
 * openPolyproc starts the polyproc scenario: a PluginHost here, running `instances`
 * processes of the Node plugin add-plugin.ts, each allowed 1 024 calls at once so that the
 * host's pool never caps the calls in flight.
 */
export async function openPolyproc(instances: number, options: OpenOptions): Promise<RpcClient> {
  const host = await PluginHost.start({
    plugins: [{ name: "bench", command: [process.execPath, ...options.nodeArgs, ...tsNodeArgs, pluginPath], cwd: repoRoot, instances, maxConcurrency: 1024 }],
  });
  return {
    issue(done) {
      host.call("bench", "add", ADD_ARGS).then(() => done(), done);
    },
    close: () => host.close(),
    processes: () => pluginPids(host),
  };
}

/** pluginPids are the process ids of every running instance of every plugin of `host`. */
export function pluginPids(host: PluginHost): number[] {
  return Object.values(host.stats().plugins).flatMap((plugin) => plugin.instances.flatMap((instance) => (instance.pid === undefined ? [] : [instance.pid])));
}
