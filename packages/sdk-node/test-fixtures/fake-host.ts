// A minimal host for the SDK's process tests: one Unix socket, one plugin process, the raw
// Peer in the host role, and every event recorded so that tests can wait for them.

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Peer, type CallId, type CallInit, type ErrorCode, type HelloEvent, type PeerEvent, type WelcomeInit } from "@polyproc/protocol";

/** FakeHostOptions choose how the fake host answers the plugin's Hello. */
export interface FakeHostOptions {
  /** Fields of the Welcome; by default instance "fixture-1", every capability the plugin offers. */
  welcome?: Partial<WelcomeInit>;
  /** Reject the Hello with this code and message instead of welcoming it. */
  reject?: { code: ErrorCode; message: string };
  /** Extra environment, or variables to leave unset (value undefined). */
  env?: Record<string, string | undefined>;
  /** Do not answer the Hello at all. */
  silent?: boolean;
}

/** Exit is how the plugin process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const fixtures = fileURLToPath(new URL(".", import.meta.url));

/** fixturePath is the path of a fixture plugin in this folder. */
export function fixturePath(name: string): string {
  return join(fixtures, name);
}

/** runPlugin runs a fixture with the given environment and no host; for the env-var tests. */
export function runPlugin(file: string, env: Record<string, string | undefined>): { child: ChildProcess; stderr: () => string; exited: Promise<Exit> } {
  const child = spawn(process.execPath, ["--conditions=@polyproc/source", "--import", "tsx", file], {
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  child.stdout!.resume();
  // "close", not "exit": stderr has been read to its end by then.
  const exited = new Promise<Exit>((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => stderr, exited };
}

function cleanEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith("POLYPROC_")) env[name] = value;
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/**
 * FakeHost starts one plugin process against its own socket and plays the host: it welcomes
 * (or rejects) the Hello, sends calls and records what comes back.
 */
export class FakeHost {
  readonly peer = new Peer({ role: "host" });
  readonly events: PeerEvent[] = [];
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  readonly hello: Promise<HelloEvent>;
  readonly token = randomBytes(32).toString("hex");
  socket: Socket | undefined;
  #stderr = "";
  readonly #dir: string;
  readonly #server: Server;
  readonly #waiters: { match: (event: PeerEvent) => boolean; resolve: (event: PeerEvent) => void }[] = [];

  private constructor(file: string, options: FakeHostOptions, dir: string, server: Server) {
    this.#dir = dir;
    this.#server = server;
    server.on("connection", (socket) => this.#accept(socket, options));
    const { child, stderr, exited } = runPlugin(file, {
      POLYPROC_ADDRESS: `unix:${join(dir, "host.sock")}`,
      POLYPROC_TOKEN: this.token,
      POLYPROC_PROTOCOL: "1",
      ...options.env,
    });
    this.child = child;
    child.stderr!.on("data", () => (this.#stderr = stderr()));
    this.exited = exited.then((exit) => {
      this.#stderr = stderr();
      this.close();
      return exit;
    });
    this.hello = this.next((event): event is HelloEvent => event.type === "hello") as Promise<HelloEvent>;
  }

  /** start listens on a fresh socket and spawns the fixture plugin against it. */
  static async start(file: string, options: FakeHostOptions = {}): Promise<FakeHost> {
    const dir = mkdtempSync(join(tmpdir(), "polyproc-sdk-"));
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(dir, "host.sock"), resolve));
    return new FakeHost(file, options, dir, server);
  }

  /** stderr is what the plugin wrote on stderr so far. */
  get stderr(): string {
    return this.#stderr;
  }

  /**
   * stderrLine waits for the first line of the plugin's stderr that contains `text` (stderr
   * and the socket are separate channels: a call's answer may arrive before its log line).
   */
  stderrLine(text: string): Promise<string> {
    const find = (): string | undefined => this.#stderr.split("\n").find((line) => line.includes(text));
    return new Promise((resolve) => {
      const check = (): void => {
        const line = find();
        if (line === undefined) return;
        this.child.stderr!.off("data", check);
        resolve(line);
      };
      this.child.stderr!.on("data", check);
      check();
    });
  }

  /** call sends a Call; `deadlineMs` is relative to now. */
  call(fn: string, args: CallInit["args"] = null, init: Omit<CallInit, "function" | "args" | "deadline"> & { deadlineMs?: number } = {}): CallId {
    const { deadlineMs, ...rest } = init;
    const now = performance.now();
    const id = this.peer.call({ ...rest, function: fn, args, ...(deadlineMs !== undefined && { deadline: now + deadlineMs }) }, now);
    this.flush();
    return id;
  }

  /** answer waits for the terminal answer of a call: its result, error or end event. */
  answer(id: CallId): Promise<PeerEvent> {
    return this.next((event) => (event.type === "result" || event.type === "error" || event.type === "end") && event.id === id);
  }

  /** next waits for the first recorded or future event that matches. */
  next(match: (event: PeerEvent) => boolean): Promise<PeerEvent> {
    const seen = this.events.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  /** flush writes what the peer queued. */
  flush(): void {
    const output = this.peer.takeOutput();
    if (output !== undefined) this.socket?.write(output);
    if (this.peer.state === "closed") this.socket?.end();
  }

  /** close stops listening, drops the connection and removes the socket's directory. */
  close(): void {
    this.socket?.destroy();
    this.#server.close();
    rmSync(this.#dir, { recursive: true, force: true });
  }

  /** kill ends the plugin process if it still runs. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }

  #accept(socket: Socket, options: FakeHostOptions): void {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => this.#record(this.peer.receive(chunk, performance.now()), options));
    socket.on("close", () => this.#record(this.peer.end(performance.now()), options));
    socket.on("error", () => undefined);
  }

  #record(events: PeerEvent[], options: FakeHostOptions): void {
    for (const event of events) {
      if (event.type === "hello" && !options.silent) this.#answerHello(event, options);
      this.events.push(event);
      for (let i = 0; i < this.#waiters.length; i++) {
        const waiter = this.#waiters[i]!;
        if (!waiter.match(event)) continue;
        this.#waiters.splice(i--, 1);
        waiter.resolve(event);
      }
    }
    this.flush();
  }

  #answerHello(event: HelloEvent, options: FakeHostOptions): void {
    if (options.reject !== undefined) {
      this.peer.reject(options.reject.code, options.reject.message);
      return;
    }
    this.peer.welcome({ instanceId: "fixture-1", capabilities: event.hello.capabilities, ...options.welcome });
  }
}
