// A fixture plugin whose functions misbehave on purpose: exit, throw, hang, busy-loop, log.
import type { CallEvent, CallId, PlainValue } from "@polyproc/protocol";
import { type RawPlugin, runRawPlugin } from "./raw-plugin.js";

const waiting = new Map<CallId, () => void>();

function argument(call: CallEvent, name: string): PlainValue | undefined {
  const args = call.args;
  return typeof args === "object" && args !== null && !Array.isArray(args) && !(args instanceof Uint8Array) ? (args as Record<string, PlainValue>)[name] : undefined;
}

function answer(plugin: RawPlugin, call: CallEvent, value: PlainValue): void {
  plugin.peer.result(call.id, value);
  plugin.flush();
}

const functions: Record<string, (call: CallEvent, plugin: RawPlugin) => void> = {
  add: (call, plugin) => answer(plugin, call, Number(argument(call, "a")) + Number(argument(call, "b"))),
  token: (call, plugin) => answer(plugin, call, plugin.token),
  slow: (call, plugin) => {
    const timer = setTimeout(() => {
      waiting.delete(call.id);
      answer(plugin, call, "done");
    }, Number(argument(call, "ms") ?? 60_000));
    waiting.set(call.id, () => clearTimeout(timer));
  },
  exit: (call) => {
    process.stderr.write(`exiting with code ${String(argument(call, "code"))} in the middle of a call\n`);
    process.exit(Number(argument(call, "code")));
  },
  throw: () => {
    setImmediate(() => {
      throw new Error("boom: an uncaught exception in the throw function");
    });
  },
  hang: () => process.stderr.write("hanging: this call is never answered\n"),
  busy: () => {
    process.stderr.write("busy: blocking the event loop for good\n");
    for (;;) {
      // Blocks the event loop: no Pong is ever sent again.
    }
  },
  leave: (call, plugin) => {
    answer(plugin, call, "leaving");
    plugin.peer.drain("done for today");
  },
  goodbye: (_call, plugin) => {
    plugin.peer.goodbye("leaving without answering");
    plugin.flush();
  },
  violate: (_call, plugin) => {
    process.stderr.write("sending an empty frame\n");
    plugin.socket.write(new Uint8Array([0, 0, 0, 0]));
  },
  disconnect: (_call, plugin) => {
    process.stderr.write("closing the connection and staying alive\n");
    plugin.stayAlive = true;
    plugin.socket.destroy();
    setInterval(() => {}, 60_000);
  },
  log: (call, plugin) => {
    process.stdout.write("a plain stdout line\n");
    process.stderr.write("a plain stderr line\n");
    process.stderr.write(`${JSON.stringify({ level: "error", msg: "a JSON error line", code: 42 })}\n`);
    process.stdout.write(`${JSON.stringify({ level: 20, msg: "a pino debug line", step: "two" })}\n`);
    answer(plugin, call, null);
  },
};

await runRawPlugin({
  hello: {
    pluginName: "misbehaving",
    maxConcurrency: 8,
    functions: Object.keys(functions).map((name) => ({ name })),
  },
  onCall: (call, plugin) => functions[call.function]?.(call, plugin),
  onEvent: (event, plugin) => {
    if (event.type !== "cancel") return;
    process.stderr.write(`${JSON.stringify({ level: "info", msg: "cancel seen", reason: event.reason })}\n`);
    waiting.get(event.id)?.();
    waiting.delete(event.id);
    plugin.peer.fail(event.id, { code: "CANCELLED", message: `cancelled: ${event.reason}` });
    plugin.flush();
  },
});
