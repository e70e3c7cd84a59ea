import { fileURLToPath } from "node:url";
import { setImmediate as yieldToIo } from "node:timers/promises";
import { PluginHost } from "@polyproc/host";
import type { OpenOptions } from "./closed-loop.js";
import { pluginPids } from "./polyproc.js";
import { type RateTarget, measureRate } from "./rate-window.js";
import { repoRoot, tsNodeArgs } from "./server-process.js";

const pluginPath = fileURLToPath(new URL("./fanout-plugin.ts", import.meta.url));

/** FANOUT_SUBSCRIBERS is the number of subscribing plugin instances. */
export const FANOUT_SUBSCRIBERS = 10;

/** Messages published between two turns of the event loop. */
const BATCH = 64;

/**
 * openFanout starts the fan-out scenario: a PluginHost here and FANOUT_SUBSCRIBERS plugins
 * (fanout-plugin.ts, one instance each) subscribed to `bench.>`. A measurement publishes
 * small messages (`{ seq }`) on `bench.tick` with `host.publish` for as long as it runs,
 * under the `block` policy, so that the publisher waits for the slowest subscriber's buffer
 * instead of dropping. Deliveries are counted by the plugins themselves (each one's
 * `received`, summed); the setting is ignored.
 */
export async function openFanout(options: OpenOptions): Promise<RateTarget> {
  const names = Array.from({ length: FANOUT_SUBSCRIBERS }, (_, index) => `fan${index}`);
  const host = await PluginHost.start({
    pubsub: { policy: "block" },
    plugins: names.map((name) => ({
      name,
      command: [process.execPath, ...options.nodeArgs, ...tsNodeArgs, pluginPath],
      cwd: repoRoot,
      permissions: { subscribe: ["bench.>"] },
    })),
  });
  const received = async (): Promise<number> => {
    const counts = await Promise.all(names.map((name) => host.call(name, "received")));
    return counts.reduce<number>((sum, count) => sum + Number(count), 0);
  };
  return {
    async measure(_setting, timing) {
      let published = 0;
      let stop = false;
      const publishing = (async () => {
        while (!stop) {
          const batch: Promise<void>[] = [];
          for (let i = 0; i < BATCH; i++) batch.push(host.publish("bench.tick", { seq: published++ }));
          await Promise.all(batch);
          await yieldToIo();
        }
      })();
      const droppedBefore = host.stats().pubsub.dropped;
      const publishedAt = { count: 0, time: 0 };
      try {
        const { perSec, cpuUsPerEvent } = await measureRate(
          async () => {
            if (publishedAt.time === 0) Object.assign(publishedAt, { count: published, time: performance.now() });
            return received();
          },
          timing,
          publishing,
          pluginPids(host),
        );
        const publishedPerSec = ((published - publishedAt.count) * 1000) / (performance.now() - publishedAt.time);
        return { perSec, cpuUsPerEvent, extra: { publishedPerSec: Math.round(publishedPerSec), dropped: host.stats().pubsub.dropped - droppedBefore } };
      } finally {
        stop = true;
        await publishing.catch(() => undefined);
      }
    },
    close: () => host.close(),
  };
}
