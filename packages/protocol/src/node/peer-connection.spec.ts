// PeerConnection and connect over a real Unix socket pair in a temporary directory.
import { mkdtemp, rm } from "node:fs/promises";
import { type Server, type Socket, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Peer } from "../peer.js";
import { helloInit, welcomeInit } from "../peer-fixtures.js";
import type { PeerEvent } from "../peer-types.js";
import { addressPath, connect } from "./address.js";
import { FrameDecoder } from "../frame-decoder.js";
import { PeerConnection, type WireTap } from "./peer-connection.js";

/** EventLog records a connection's events and lets a test wait for them. */
class EventLog {
  readonly list: PeerEvent[] = [];
  private waiters: { type: string; count: number; resolve: () => void }[] = [];
  handler?: (event: PeerEvent) => void;

  readonly push = (event: PeerEvent): void => {
    this.list.push(event);
    this.handler?.(event);
    this.waiters = this.waiters.filter((w) => {
      if (this.count(w.type) < w.count) return true;
      w.resolve();
      return false;
    });
  };

  count(type: string): number {
    return this.list.filter((e) => e.type === type).length;
  }

  waitFor(type: PeerEvent["type"], count = 1): Promise<void> {
    if (this.count(type) >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ type, count, resolve }));
  }

  types(): string[] {
    return this.list.map((e) => e.type);
  }
}

interface Pair {
  host: PeerConnection;
  plugin: PeerConnection;
  hostEvents: EventLog;
  pluginEvents: EventLog;
  hostSocket: Socket;
  pluginSocket: Socket;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(): Promise<{ server: Server; address: string }> {
  const dir = await mkdtemp(join(tmpdir(), "polyproc-test-"));
  const path = join(dir, "host.sock");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(path, resolve));
  cleanups.push(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });
  return { server, address: `unix:${path}` };
}

// Connects a plugin Peer to a host Peer; the host welcomes (or handles the hello as `onHello` says).
async function connectPair(onHello?: (host: PeerConnection) => void, hostTap?: WireTap): Promise<Pair> {
  const { server, address } = await listen();
  const accepted = new Promise<Socket>((resolve) => server.once("connection", resolve));
  const pluginSocket = await connect(address);
  const hostSocket = await accepted;
  const hostEvents = new EventLog();
  const pluginEvents = new EventLog();
  const host = new PeerConnection(hostSocket, new Peer({ role: "host" }), hostEvents.push, { tap: hostTap });
  const plugin = new PeerConnection(pluginSocket, new Peer({ role: "plugin" }), pluginEvents.push);
  hostEvents.handler = (event) => {
    if (event.type !== "hello") return;
    if (onHello) onHello(host);
    else host.peer.welcome(welcomeInit());
  };
  cleanups.push(async () => {
    hostSocket.destroy();
    pluginSocket.destroy();
    await Promise.all([host.closed, plugin.closed]);
  });
  plugin.peer.hello(helloInit());
  plugin.flushSoon();
  return { host, plugin, hostEvents, pluginEvents, hostSocket, pluginSocket };
}

describe("PeerConnection", () => {
  it("runs the handshake and a call both ways over a Unix socket", async () => {
    const pair = await connectPair();
    await pair.pluginEvents.waitFor("welcome");
    pair.pluginEvents.handler = (event) => {
      if (event.type === "call") pair.plugin.peer.result(event.id, (event.args as number[]).reduce((a, b) => a + b, 0));
    };
    const id = pair.host.peer.call({ function: "add", args: [1, 2, 3] }, performance.now());
    pair.host.flushSoon();
    await pair.hostEvents.waitFor("result");
    expect(pair.hostEvents.list.at(-1)).toEqual({ type: "result", id, value: 6, cancelled: false });
  });

  it("shows its tap every byte read and written, before the peer handles them", async () => {
    const seen = { in: new FrameDecoder(), out: new FrameDecoder() };
    const kinds: string[] = [];
    const pair = await connectPair(undefined, (direction, bytes) => {
      for (const frame of seen[direction].push(new Uint8Array(bytes))) kinds.push(`${direction} ${frame.kind.case}`);
    });
    await pair.pluginEvents.waitFor("welcome");
    expect(kinds).toEqual(["in hello", "out welcome"]);
  });

  it("coalesces the frames of one turn into one socket write", async () => {
    const pair = await connectPair();
    await pair.pluginEvents.waitFor("welcome");
    const write = vi.spyOn(pair.pluginSocket, "write");
    for (let i = 0; i < 100; i++) {
      pair.plugin.peer.call({ function: "log", args: i }, performance.now());
      pair.plugin.flushSoon();
    }
    expect(write).not.toHaveBeenCalled();
    await pair.hostEvents.waitFor("call", 100);
    expect(write).toHaveBeenCalledTimes(1);
    expect(pair.hostEvents.list.filter((e) => e.type === "call").map((e) => (e.type === "call" ? e.args : null))).toEqual(
      Array.from({ length: 100 }, (_, i) => i),
    );
  });

  it("writes the answers to one read, promise continuations included, in one write before the turn ends", async () => {
    const pair = await connectPair();
    await pair.pluginEvents.waitFor("welcome");
    const write = vi.spyOn(pair.pluginSocket, "write");
    let writesAtImmediate: number | undefined;
    pair.pluginEvents.handler = (event) => {
      if (event.type !== "call") return;
      if (event.id === 1) setImmediate(() => (writesAtImmediate = write.mock.calls.length));
      const answer = () => pair.plugin.peer.result(event.id, event.args);
      if (Number(event.id) % 2 === 0) answer();
      else void Promise.resolve().then(() => Promise.resolve()).then(answer);
      pair.plugin.flushSoon();
    };
    for (let i = 0; i < 10; i++) pair.host.peer.call({ function: "add", args: i }, performance.now());
    pair.host.flushSoon();
    await pair.hostEvents.waitFor("result", 10);
    expect(write).toHaveBeenCalledTimes(1);
    expect(writesAtImmediate).toBe(1);
  });

  it("shows the bytes a slow reader leaves unsent, and says when they are sent", async () => {
    const pair = await connectPair();
    await pair.pluginEvents.waitFor("welcome");
    pair.pluginSocket.pause();
    pair.host.peer.call({ function: "big", args: "x".repeat(1 << 20) }, performance.now());
    pair.host.flushNow();
    expect(pair.host.writeBacklog).toBeGreaterThan(0);
    const drained = pair.host.drained();
    pair.pluginSocket.resume();
    await drained;
    expect(pair.host.writeBacklog).toBe(0);
  });

  it("answers a Ping without the application's help", async () => {
    const pair = await connectPair();
    await pair.pluginEvents.waitFor("welcome");
    pair.host.peer.ping(performance.now());
    pair.host.flushSoon();
    await pair.hostEvents.waitFor("pong");
    const pong = pair.hostEvents.list.find((e) => e.type === "pong");
    expect(pong).toMatchObject({ type: "pong", seq: 1n });
  });

  it("after a Reject, the host writes it and closes; the plugin sees reject then close", async () => {
    const pair = await connectPair((host) => host.peer.reject("UNAUTHENTICATED", "wrong token"));
    await Promise.all([pair.host.closed, pair.plugin.closed]);
    expect(pair.pluginEvents.types()).toEqual(["reject", "close"]);
    expect(pair.hostEvents.types()).toEqual(["hello", "close"]);
    expect(pair.pluginEvents.list[1]).toMatchObject({ clean: false, reason: expect.stringContaining("UNAUTHENTICATED: wrong token") });
  });

  it("connection loss delivers one close event, not clean", async () => {
    const pair = await connectPair();
    await pair.pluginEvents.waitFor("welcome");
    pair.hostSocket.destroy();
    await pair.plugin.closed;
    await pair.pluginEvents.waitFor("close");
    expect(pair.pluginEvents.count("close")).toBe(1);
    expect(pair.pluginEvents.list.at(-1)).toMatchObject({ type: "close", clean: false });
    await pair.host.closed;
    expect(pair.hostEvents.count("close")).toBe(1);
  });

  it("a protocol violation closes the socket; the other side sees the Goodbye and the end", async () => {
    const pair = await connectPair();
    await pair.pluginEvents.waitFor("welcome");
    pair.pluginSocket.write(new Uint8Array([0, 0, 0, 2, 0xff, 0xff]));
    await Promise.all([pair.host.closed, pair.plugin.closed]);
    expect(pair.hostEvents.list.at(-1)).toMatchObject({ type: "close", error: { kind: "MALFORMED_FRAME" } });
    expect(pair.pluginEvents.types()).toEqual(["welcome", "goodbye", "close"]);
  });

  it("a drained plugin says Goodbye and both ends close cleanly", async () => {
    const pair = await connectPair();
    await pair.pluginEvents.waitFor("welcome");
    pair.host.peer.shutdown(1000, "stop");
    pair.host.flushSoon();
    await Promise.all([pair.host.closed, pair.plugin.closed]);
    expect(pair.pluginEvents.types()).toEqual(["welcome", "shutdown", "close"]);
    expect(pair.pluginEvents.list.at(-1)).toMatchObject({ clean: true });
    expect(pair.hostEvents.types()).toEqual(["hello", "goodbye", "close"]);
    expect(pair.hostEvents.list.at(-1)).toMatchObject({ clean: true });
  });
});

describe("connect and addressPath", () => {
  it("reads unix: and pipe: addresses and refuses others", () => {
    expect(addressPath("unix:/tmp/x/host.sock")).toBe("/tmp/x/host.sock");
    expect(addressPath("pipe:\\\\.\\pipe\\polyproc-ab")).toBe("\\\\.\\pipe\\polyproc-ab");
    expect(() => addressPath("unix:relative.sock")).toThrow(/absolute path/);
    expect(() => addressPath("pipe:polyproc")).toThrow(/pipe path/);
    expect(() => addressPath("tcp://localhost:7000")).toThrow(/reserved and not supported/);
    expect(() => addressPath("/tmp/x.sock")).toThrow(/not a polyproc address/);
  });

  it("rejects with the address and the cause when nothing listens", async () => {
    const dir = await mkdtemp(join(tmpdir(), "polyproc-test-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await expect(connect(`unix:${join(dir, "none.sock")}`)).rejects.toThrow(/cannot connect to unix:.*none\.sock: .*ENOENT/);
    await expect(connect("nope")).rejects.toThrow(/not a polyproc address/);
  });
});
