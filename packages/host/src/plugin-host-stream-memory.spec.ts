// Flow control bounds the host's memory (PROTOCOL.md §10): a plugin streams far more bytes
// than the host may hold into a consumer slower than the producer, and the host's memory,
// sampled while it reads, stays within a bound.
import { setImmediate as nextTurn, setTimeout as pause } from "node:timers/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginHost } from "./plugin-host.js";

/**
 * Bytes streamed: STREAM_MEMORY_BYTES in the environment, else 256 MiB, which keeps the suite
 * short; `npm run test:stream-memory` streams 1 GiB.
 */
const TOTAL_BYTES = Number(process.env["STREAM_MEMORY_BYTES"] ?? 256 * 2 ** 20);
if (!Number.isInteger(TOTAL_BYTES) || TOTAL_BYTES < 64 * 1024) {
  throw new TypeError(`STREAM_MEMORY_BYTES must be a whole number of bytes, at least 65536; got ${JSON.stringify(process.env["STREAM_MEMORY_BYTES"])}`);
}
const ITEM_BYTES = 64 * 1024;
const ITEMS = Math.ceil(TOTAL_BYTES / ITEM_BYTES);
const GROWTH_LIMIT = 64 * 2 ** 20;
/** Items read between two memory samples. */
const SAMPLE_EVERY = 256;

// The plugin, written with the Node SDK: `chunks` yields n fresh byte arrays of `size`
// bytes, the first byte of each its index modulo 256. Run with `node -e` from this package,
// so that @polyproc/sdk resolves as it does for any plugin here.
const pluginSource = `
import { definePlugin } from "@polyproc/sdk";
const plugin = definePlugin({ name: "bulk", version: "1.0.0" });
plugin.stream("chunks", async function* ({ n, size }, ctx) {
  for (let i = 0; i < n && !ctx.signal.aborted; i++) {
    const chunk = new Uint8Array(size);
    chunk[0] = i % 256;
    yield chunk;
  }
});
await plugin.serve();
`;

/**
 * collectGarbage runs a full garbage collection, so that a sample counts what the host holds
 * rather than what it has dropped and V8 has not yet reclaimed.
 */
const collectGarbage = ((): (() => void) => {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
})();

/** retained is the JavaScript heap in use plus the memory of ArrayBuffers and Buffers, after a full collection. */
function retained(): number {
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

describe("PluginHost.stream flow control", () => {
  let host: PluginHost;

  beforeAll(async () => {
    host = await PluginHost.start({
      plugins: [
        {
          name: "bulk",
          command: [process.execPath, "--conditions=@polyproc/source", "--import", "tsx", "--input-type=module", "-e", pluginSource],
          heartbeat: { intervalMs: 0 },
        },
      ],
    });
  });

  afterAll(async () => {
    await host?.close({ graceMs: 0 });
  });

  it(`keeps the host's memory within 64 MiB while a slow consumer reads ${ITEMS} items of 64 KiB`, async () => {
    const baseline = { retained: retained(), rss: process.memoryUsage().rss };
    let peakRetained = 0;
    let peakRss = 0;
    let read = 0;
    let checksum = 0;
    // The default window (32 items, 2 MiB) bounds what the host holds; with a window of 4 096
    // items this test fails: the host then buffers hundreds of MiB ahead of the consumer.
    for await (const item of host.stream("bulk", "chunks", { n: ITEMS, size: ITEM_BYTES }, { timeoutMs: 120_000 })) {
      if (!(item instanceof Uint8Array) || item.length !== ITEM_BYTES || item[0] !== read % 256) {
        throw new Error(`item ${read} is not the ${ITEM_BYTES} bytes the plugin sent`);
      }
      // The slow consumer: it reads every 64th byte of each item and lets the event loop turn
      // before the next one, with a pause of a millisecond every 4 items, so that the producer is held
      // back by the credit the consumer grants.
      for (let i = 0; i < item.length; i += 64) checksum = (checksum + item[i]!) | 0;
      read += 1;
      await (read % 4 === 0 ? pause(1) : nextTurn());
      if (read % SAMPLE_EVERY === 0) {
        peakRetained = Math.max(peakRetained, retained() - baseline.retained);
        peakRss = Math.max(peakRss, process.memoryUsage().rss - baseline.rss);
      }
    }
    console.log(`streamed ${read} items: peak retained growth ${(peakRetained / 2 ** 20).toFixed(1)} MiB, peak rss growth ${(peakRss / 2 ** 20).toFixed(1)} MiB`);
    expect(read).toBe(ITEMS);
    expect(checksum).not.toBe(0);
    expect(peakRetained).toBeLessThan(GROWTH_LIMIT);
    expect(peakRss).toBeLessThan(GROWTH_LIMIT);
  });
});
