import { describe, expect, it } from "vitest";
import { resolvePluginConfigs } from "./resolve-options.js";

const plugin = { name: "p", command: ["node", "p.js"] };

describe("pubsub options", () => {
  it("default to a 1 024-message drop-oldest buffer and 1 024 subscriptions (§1.4)", () => {
    const [config] = resolvePluginConfigs({ plugins: [plugin] });
    expect(config!.pubsub).toEqual({ bufferSize: 1024, policy: "drop-oldest", maxSubscriptions: 1024 });
  });

  it("take the plugin's own setting over the host's, field by field", () => {
    const [config] = resolvePluginConfigs({ pubsub: { bufferSize: 10, policy: "block" }, plugins: [{ ...plugin, pubsub: { bufferSize: 5 } }] });
    expect(config!.pubsub).toEqual({ bufferSize: 5, policy: "block", maxSubscriptions: 1024 });
  });

  it.each([
    [{ pubsub: { bufferSize: 0 } }, "options.pubsub.bufferSize must be an integer >= 1, got 0"],
    [{ pubsub: { policy: "wait" } }, 'options.pubsub.policy must be "drop-oldest" or "block", got "wait"'],
    [{ pubsub: { size: 3 } }, "options.pubsub.size is not a pub/sub option"],
    [{ pubsub: "big" }, "options.pubsub must be an object"],
  ])("refuse %j with a TypeError naming the field", (options, message) => {
    expect(() => resolvePluginConfigs({ plugins: [plugin], ...(options as object) })).toThrow(new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  });

  it("name the plugin whose setting is wrong", () => {
    expect(() => resolvePluginConfigs({ plugins: [{ ...plugin, pubsub: { maxSubscriptions: -1 } }] })).toThrow(/plugins\[0\] \("p"\)\.pubsub\.maxSubscriptions must be an integer >= 1/);
  });
});
