// A plugin written directly on the Peer and PeerConnection, without the SDK, so that the
// fixtures can misbehave in ways the SDK never would. Not a model for real plugins.
import { type CallEvent, type HelloInit, Peer, type PeerEvent, codeName } from "@polyproc/protocol";
import type { Socket } from "node:net";
import { PeerConnection, connect } from "@polyproc/protocol/node";

/** RawPluginOptions says how a fixture behaves. */
export interface RawPluginOptions {
  /** Overrides of the Hello's fields. */
  hello?: Partial<HelloInit>;
  /** false: connect but never send Hello. Default true. */
  sendHello?: boolean;
  /** Runs each call; answer it through plugin.peer and plugin.flush(). */
  onCall?: (call: CallEvent, plugin: RawPlugin) => void;
  /** Sees every event before the default handling. */
  onEvent?: (event: PeerEvent, plugin: RawPlugin) => void;
}

/** RawPlugin is a running fixture plugin. */
export interface RawPlugin {
  peer: Peer;
  connection: PeerConnection;
  /** The socket under the connection, to misbehave below the Peer. */
  socket: Socket;
  /** true: do not exit when the connection closes. */
  stayAlive: boolean;
  /** The token it was started with. */
  token: string;
  flush(): void;
}

/** runRawPlugin connects to the host of POLYPROC_ADDRESS and serves as the options say. */
export async function runRawPlugin(options: RawPluginOptions = {}): Promise<RawPlugin> {
  const address = process.env["POLYPROC_ADDRESS"];
  const token = process.env["POLYPROC_TOKEN"] ?? "";
  delete process.env["POLYPROC_ADDRESS"];
  delete process.env["POLYPROC_TOKEN"];
  delete process.env["POLYPROC_PROTOCOL"];
  if (address === undefined) {
    process.stderr.write("this is a test fixture: run it under a polyproc host\n");
    process.exit(2);
  }
  const socket = await connect(address);
  const peer = new Peer({ role: "plugin" });
  const plugin: Omit<RawPlugin, "connection"> & { connection?: PeerConnection } = {
    peer,
    socket,
    token,
    stayAlive: false,
    flush: () => connection.flushSoon(),
  };
  const connection = new PeerConnection(socket, peer, (event) => handle(event, plugin as RawPlugin, options));
  plugin.connection = connection;
  if (options.sendHello !== false) {
    peer.hello({
      token,
      sdkLanguage: "node",
      sdkVersion: "0.0.0",
      pluginName: "fixture",
      pid: process.pid,
      functions: [],
      ...options.hello,
    });
    connection.flushSoon();
  }
  return plugin as RawPlugin;
}

function handle(event: PeerEvent, plugin: RawPlugin, options: RawPluginOptions): void {
  options.onEvent?.(event, plugin);
  if (event.type === "reject") {
    const { code, message, minProtocol, maxProtocol } = event.reject;
    process.stderr.write(`the host rejected this plugin: ${codeName(code)}: ${message} (host protocol ${minProtocol}..${maxProtocol})\n`);
    process.exit(1);
  }
  if (event.type === "close" && plugin.stayAlive) return;
  if (event.type === "close" && !event.clean) {
    process.stderr.write(`connection to the host closed: ${event.reason}\n`);
    process.exit(1);
  }
  if (event.type === "close" && event.clean) process.exit(0);
  if (event.type === "call") options.onCall?.(event, plugin);
}
