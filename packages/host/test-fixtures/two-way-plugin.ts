// A raw fixture plugin (on the Peer, without the SDK) that calls back into the host: host
// functions and other plugins, so that the host's side of PROTOCOL.md §5.4 can be tested
// before, and independently of, the SDK's. Its functions:
//   echo(args) → args; metadata() → the call's metadata; deadline() → {remainingMs} or null;
//   hold() → waits for Cancel; lastCancel() → the reason of the last Cancel it received;
//   count({n}) streams 0..n-1 within its credit; sent() → the items count has sent so far;
//   crash() exits 3; welcome() → what the Welcome announced (host functions, limits, capabilities);
//   hostCall({fn, args, ...out}) and route({target, fn, args, ...out}) make one call (out:
//   metadata, timeoutMs, propagate: copy polyproc-hops/-chain and traceparent from the
//   incoming call, cancelAfterMs) and answer with its value or fail with its Error as it is;
//   routeStream({target, fn, args, window, grant}) reads a routed stream, granting one item
//   per item read when `grant`, and answers {items, error?};
//   unlimit() makes its Peer ignore Welcome's limits, to see the host enforce them (§5.6.3);
//   relay({path: [p1, p2, ...], args}) calls p1.relay with the rest of the path, propagating
//   hops and chain; with an empty path it answers args.
import { type CallEvent, type CallId, type ErrorInfo, type PeerEvent, type PlainValue, PluginError } from "@polyproc/protocol";
import { type RawPlugin, runRawPlugin } from "./raw-plugin.js";

type Outcome = { value: PlainValue } | { error: ErrorInfo };
type Args = Record<string, PlainValue>;

interface Outgoing {
  settle(outcome: Outcome): void;
  item?(value: PlainValue): void;
}

const outgoing = new Map<CallId, Outgoing>();
const streams = new Map<CallId, { next: number; n: number }>();
let lastCancel: string | null = null;
let welcome: PlainValue = null;
let sentItems = 0;
const held = new Set<CallId>();

const functions = ["echo", "metadata", "deadline", "hold", "lastCancel", "sent", "crash", "welcome", "unlimit", "hostCall", "route", "routeStream", "relay"];

const plugin = await runRawPlugin({
  hello: {
    functions: [...functions.map((name) => ({ name })), { name: "count", streaming: true }],
    capabilities: ["streaming", "host-calls", "plugin-calls"],
    maxConcurrency: 16,
  },
  onEvent: (event, self) => onEvent(event, self),
  onCall: (call, self) => void serve(call, self),
});

function onEvent(event: PeerEvent, self: RawPlugin): void {
  switch (event.type) {
    case "welcome":
      welcome = {
        hostFunctions: event.hostFunctions.map((fn) => ({ name: fn.name, paramsSchema: fn.paramsSchema ?? "", streaming: fn.streaming === true })),
        maxCallsInFlight: event.welcome.maxCallsInFlight,
        maxOpenStreams: event.welcome.maxOpenStreams,
        capabilities: event.welcome.capabilities,
      };
      return;
    case "result":
      return outgoing.get(event.id)?.settle({ value: event.value });
    case "error":
      return outgoing.get(event.id)?.settle({ error: event.error });
    case "item":
      return outgoing.get(event.id)?.item?.(event.value);
    case "end":
      return outgoing.get(event.id)?.settle(event.error === undefined ? { value: null } : { error: event.error });
    case "cancel":
      lastCancel = event.reason;
      if (streams.delete(event.id)) {
        self.peer.endStream(event.id, { code: "CANCELLED", message: `count cancelled: ${event.reason}` });
        self.flush();
      }
      if (held.delete(event.id)) answer(self, event.id, { error: { code: "CANCELLED", message: `hold cancelled: ${event.reason}` } });
      return;
    case "credit":
      return pump(self, event.id);
    default:
      return;
  }
}

async function serve(call: CallEvent, self: RawPlugin): Promise<void> {
  const args = (call.args ?? {}) as Args;
  switch (call.function) {
    case "echo":
      return answer(self, call.id, { value: call.args });
    case "metadata":
      return answer(self, call.id, { value: call.metadata });
    case "deadline":
      return answer(self, call.id, { value: call.deadline === undefined ? null : { remainingMs: call.deadline - performance.now() } });
    case "hold":
      held.add(call.id);
      return;
    case "lastCancel":
      return answer(self, call.id, { value: lastCancel });
    case "sent":
      return answer(self, call.id, { value: sentItems });
    case "crash":
      // The calls it made before are written first, so that the host has them when it exits.
      self.connection.flushNow();
      return process.exit(3);
    case "welcome":
      return answer(self, call.id, { value: welcome });
    case "unlimit": {
      const core = (self.peer as unknown as { core: { maxOutgoingCalls: number; maxOutgoingStreams: number } }).core;
      core.maxOutgoingCalls = 0;
      core.maxOutgoingStreams = 0;
      return answer(self, call.id, { value: null });
    }
    case "count":
      streams.set(call.id, { next: 0, n: Number(args["n"] ?? 0) });
      return pump(self, call.id);
    case "hostCall":
    case "route":
      return answer(self, call.id, await attempt(() => callOut(self, call, args)));
    case "routeStream":
      return answer(self, call.id, await attempt(async () => ({ value: await readStream(self, args) })));
    case "relay":
      return answer(self, call.id, await attempt(() => relay(self, call, args)));
    default:
      return answer(self, call.id, { error: { code: "NOT_FOUND", message: `no function ${call.function}` } });
  }
}

// A call the Peer refuses to send (a local error, §8.4) is answered with that error.
async function attempt(run: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await run();
  } catch (error) {
    if (PluginError.is(error)) return { error: error.toInfo() };
    throw error;
  }
}

function callOut(self: RawPlugin, call: CallEvent, args: Args): Promise<Outcome> {
  const metadata = { ...((args["metadata"] ?? {}) as Record<string, string>) };
  if (args["propagate"] === true) copyPropagated(call.metadata, metadata);
  const timeoutMs = args["timeoutMs"] as number | undefined;
  const id = self.peer.call(
    {
      function: args["fn"] as string,
      target: call.function === "route" ? (args["target"] as string) : "",
      args: args["args"] ?? null,
      metadata,
      deadline: timeoutMs === undefined ? undefined : performance.now() + timeoutMs,
    },
    performance.now(),
  );
  self.flush();
  const cancelAfterMs = args["cancelAfterMs"] as number | undefined;
  if (cancelAfterMs !== undefined) {
    setTimeout(() => {
      self.peer.cancel(id, "cancelled by caller");
      self.flush();
    }, cancelAfterMs);
  }
  return new Promise((resolve) => outgoing.set(id, { settle: (outcome) => (outgoing.delete(id), resolve(outcome)) }));
}

function readStream(self: RawPlugin, args: Args): Promise<PlainValue> {
  const window = Number(args["window"] ?? 2);
  const id = self.peer.call({ function: args["fn"] as string, target: args["target"] as string, args: args["args"] ?? null, streaming: true, initialCredit: window, deadline: performance.now() + Number(args["timeoutMs"] ?? 5_000) }, performance.now());
  self.flush();
  const items: PlainValue[] = [];
  return new Promise((resolve) =>
    outgoing.set(id, {
      item: (value) => {
        items.push(value);
        if (args["grant"] === true) {
          self.peer.grant(id, 1);
          self.flush();
        }
      },
      settle: (outcome) => {
        outgoing.delete(id);
        resolve("error" in outcome ? { items, error: outcome.error.code } : { items });
      },
    }),
  );
}

function relay(self: RawPlugin, call: CallEvent, args: Args): Promise<Outcome> {
  const path = (args["path"] ?? []) as string[];
  if (path.length === 0) return Promise.resolve({ value: args["args"] ?? null });
  const [next, ...rest] = path;
  const forward: Args = { target: next as string, fn: "relay", args: { path: rest, args: args["args"] ?? null }, propagate: true };
  return callOut(self, { ...call, function: "route" }, forward);
}

// §5.5.5: a handler's calls carry its hops, chain and trace context.
function copyPropagated(from: Record<string, string>, to: Record<string, string>): void {
  for (const key of ["polyproc-hops", "polyproc-chain", "traceparent"]) {
    const value = from[key];
    if (value !== undefined) to[key] = value;
  }
}

function pump(self: RawPlugin, id: CallId): void {
  const stream = streams.get(id);
  if (stream === undefined) return;
  while (stream.next < stream.n && self.peer.creditOf(id) > 0) {
    self.peer.item(id, stream.next++);
    sentItems++;
  }
  if (stream.next >= stream.n) {
    streams.delete(id);
    self.peer.endStream(id);
  }
  self.flush();
}

function answer(self: RawPlugin, id: CallId, outcome: Outcome): void {
  if ("error" in outcome) self.peer.fail(id, outcome.error);
  else self.peer.result(id, outcome.value);
  self.flush();
}

export { plugin };
