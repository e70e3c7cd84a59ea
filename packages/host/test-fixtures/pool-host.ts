// A host process for the orphan test: it starts a PluginHost with two instances of the pool
// plugin, prints their pids as one JSON line on stdout, and runs until it is killed.
import { fileURLToPath } from "node:url";
import { PluginHost } from "../src/index.js";

const plugin = fileURLToPath(new URL("pool-plugin.ts", import.meta.url));
const host = await PluginHost.start({
  plugins: [{ name: "pool", command: [process.execPath, "--conditions=@polyproc/source", "--import", "tsx", plugin], instances: 2 }],
});
const pids = host.stats().plugins["pool"]?.instances.map((instance) => instance.pid);
process.stdout.write(`${JSON.stringify({ host: process.pid, plugins: pids })}\n`);
setInterval(() => {}, 60_000);
