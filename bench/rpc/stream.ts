import { fileURLToPath } from "node:url";
import { PluginHost } from "@polyproc/host";
import type { OpenOptions } from "./closed-loop.js";
import { pluginPids } from "./polyproc.js";
import { type RateTarget, measureRate } from "./rate-window.js";
import { repoRoot, tsNodeArgs } from "./server-process.js";

const pluginPath = fileURLToPath(new URL("./stream-plugin.ts", import.meta.url));

/** STREAM_TIMEOUT_MS is the deadline of a benchmark stream: longer than any measurement. */
const STREAM_TIMEOUT_MS = 600_000;

/**
 * openPolyprocStream starts the stream scenario: a PluginHost here reading, with
 * `host.stream`, the endless stream of small items of the Node plugin stream-plugin.ts.
 * A measurement's setting is the stream's window (the credit, PROTOCOL.md §10).
 */
export async function openPolyprocStream(options: OpenOptions): Promise<RateTarget> {
  const host = await PluginHost.start({
    plugins: [{ name: "bench", command: [process.execPath, ...options.nodeArgs, ...tsNodeArgs, pluginPath], cwd: repoRoot }],
  });
  return {
    async measure(window, timing) {
      let items = 0;
      let stop = false;
      const reading = (async () => {
        for await (const _item of host.stream("bench", "items", null, { window, timeoutMs: STREAM_TIMEOUT_MS })) {
          items++;
          if (stop) break;
        }
      })();
      try {
        return await measureRate(() => items, timing, reading, pluginPids(host));
      } finally {
        stop = true;
        await reading.catch(() => undefined);
      }
    },
    close: () => host.close(),
  };
}
