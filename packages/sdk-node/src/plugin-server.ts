// The serve loop of one plugin process: the handshake, the calls, shutdown and the end of
// the connection (PROTOCOL.md §4, §5, §7, §13, §14.2).

import type { Socket } from "node:net";
import { Peer, codeName, type CallEvent, type CallId, type HelloInit, type PeerEvent, type PlainValue, type Reject, type WelcomeEvent } from "@polyproc/protocol";
import { DeadlineQueue, PeerConnection } from "@polyproc/protocol/node";
import type { ContextHost } from "./call-context.js";
import { abortCall, cancelError, expire, type CallHost, type RunningCall } from "./call-host.js";
import type { Origin } from "./handler-error.js";
import type { Logger } from "./logger.js";
import { OutgoingCalls } from "./outgoing-calls.js";
import type { RegisteredFunction } from "./plugin.js";
import type { PluginTelemetry } from "./server-span.js";
import type { Subscriptions } from "./subscriptions.js";
import { runStream } from "./stream-call.js";
import { runUnary } from "./unary-call.js";

/** WELCOME_TIMEOUT_MS is how long a plugin waits for Welcome or Reject (§4.5.4). */
export const WELCOME_TIMEOUT_MS = 30_000;

/** Welcomed is what the serve loop learns from Welcome and hands to the Plugin. */
export interface Welcomed {
  instanceId: string;
  pluginName: string;
  settings: PlainValue;
  /** calls makes the plugin's calls to the host and to other plugins (§5.4). */
  calls: OutgoingCalls;
}

/** PluginServerOptions are what a PluginServer serves and how it reports. */
export interface PluginServerOptions {
  hello: HelloInit;
  functions: ReadonlyMap<string, RegisteredFunction>;
  /** The plugin's subscriptions, connected on Welcome; Publishes from the host go to them (§12). */
  pubsub: Subscriptions;
  /** The host's protocol range from POLYPROC_PROTOCOL, to explain a Reject (§2.4.4). */
  hostProtocol: { min: number; max: number };
  debug: boolean;
  logger: Logger;
  /** The plugin's spans; undefined when tracing is off. */
  telemetry: PluginTelemetry | undefined;
  /** Called on Welcome; returns the logger to use from then on (it names the instance). */
  onWelcome: (welcomed: Welcomed) => Logger;
  /** Ends the process: writes the message (if any) on stderr, then exits with the code. */
  exit: (code: number, message?: string) => never;
}

/**
 * PluginServer runs one connection to the host: it sends Hello, waits for Welcome, runs the
 * calls that arrive, drains on Shutdown and exits the process when the connection ends:
 * with 0 after its Goodbye, with 1 on Reject, loss of the connection, a protocol violation
 * or a Goodbye from the host (§14.3).
 */
export class PluginServer implements CallHost, ContextHost {
  readonly peer = new Peer({ role: "plugin" });
  readonly running = new Map<CallId, RunningCall>();
  readonly deadlines = new DeadlineQueue<RunningCall>({ expire: (call) => expire(this, call) });
  readonly origin: Origin;
  readonly debug: boolean;
  readonly telemetry: PluginTelemetry | undefined;
  readonly context: ContextHost = this;
  readonly outgoing: OutgoingCalls = new OutgoingCalls(this);
  readonly publisher: Subscriptions;
  instanceId = "";
  settings: PlainValue = null;
  logger: Logger;
  readonly #options: PluginServerOptions;
  #connection: PeerConnection | undefined;
  #welcomeTimer: ReturnType<typeof setTimeout> | undefined;
  #shutdownAt: number | undefined;
  #graceTimer: ReturnType<typeof setTimeout> | undefined;
  #rejected = false;

  constructor(options: PluginServerOptions) {
    this.#options = options;
    this.debug = options.debug;
    this.telemetry = options.telemetry;
    this.logger = options.logger;
    this.origin = { plugin: options.hello.pluginName, instance: "" };
    this.publisher = options.pubsub;
  }

  /** start sends Hello on a connected socket and serves until the process exits. */
  start(socket: Socket): void {
    this.#connection = new PeerConnection(socket, this.peer, (event) => this.#onEvent(event), { now: () => performance.now() });
    this.peer.hello(this.#options.hello);
    this.#connection.flushNow();
    this.#welcomeTimer = setTimeout(() => {
      this.#options.exit(1, `${this.origin.plugin}: the host sent neither Welcome nor Reject within ${WELCOME_TIMEOUT_MS / 1000} s of Hello; exiting (§4.5.4)`);
    }, WELCOME_TIMEOUT_MS);
    void this.#connection.closed.then(() => this.#onClosed());
  }

  flush(): void {
    this.#connection?.flushSoon();
  }

  #onEvent(event: PeerEvent): void {
    switch (event.type) {
      case "call":
        return this.#onCall(event);
      case "cancel": {
        const call = this.running.get(event.id);
        if (call !== undefined) abortCall(call, cancelError(event.reason));
        return;
      }
      case "publish":
        return this.publisher.deliver(event);
      case "credit":
        this.running.get(event.id)?.wake?.();
        return;
      case "result":
      case "error":
      case "item":
      case "end":
        return this.outgoing.receive(event);
      case "welcome":
        return this.#onWelcome(event);
      case "reject":
        return this.#onReject(event.reject);
      case "shutdown":
        return this.#onShutdown(event.graceMs);
      case "goodbye":
        // §13.2.5: the host said Goodbye (a violation or an expired grace): leave as on loss.
        return this.#options.exit(1, `${this.origin.plugin}: the host closed the connection: ${event.reason}; exiting`);
      case "close":
        this.outgoing.closeAll(event.reason);
        return this.#onClose(event.clean, event.reason, event.error !== undefined);
      default:
        return;
    }
  }

  #onCall(event: CallEvent): void {
    // The peer has made the checks of §5.8 up to 7: the function exists and its mode matches.
    const fn = this.#options.functions.get(event.function);
    if (fn === undefined) return;
    if (event.streaming) runStream(this, fn, event);
    else runUnary(this, fn, event);
  }

  #onWelcome(event: WelcomeEvent): void {
    clearTimeout(this.#welcomeTimer);
    const welcome = event.welcome;
    this.instanceId = welcome.instanceId;
    this.settings = event.settings;
    this.origin.plugin = welcome.pluginName === "" ? this.#options.hello.pluginName : welcome.pluginName;
    this.origin.instance = welcome.instanceId;
    this.outgoing.welcomed(this.peer.capabilities, event.hostFunctions);
    this.logger = this.#options.onWelcome({ instanceId: this.instanceId, pluginName: this.origin.plugin, settings: this.settings, calls: this.outgoing });
    this.publisher.connect(this.peer, welcome.capabilities.includes("pubsub"), () => this.flush(), this.logger);
  }

  #onReject(reject: Reject): void {
    this.#rejected = true;
    const { hello, hostProtocol } = this.#options;
    const plugin = `${hello.minProtocol ?? 1}..${hello.maxProtocol ?? 1}`;
    const host = reject.minProtocol > 0 ? `${reject.minProtocol}..${reject.maxProtocol}` : `${hostProtocol.min}..${hostProtocol.max}`;
    this.#options.exit(1, `${hello.pluginName}: the host rejected the plugin: ${codeName(reject.code)}: ${reject.message} (the plugin speaks protocol ${plugin}, the host ${host})`);
  }

  /** §13.1: stop taking calls (the peer refuses them), finish those in flight, cancel them at the grace's end. */
  #onShutdown(graceMs: number): void {
    const end = performance.now() + graceMs;
    if (this.#shutdownAt !== undefined && this.#shutdownAt <= end) return;
    this.#shutdownAt = end;
    clearTimeout(this.#graceTimer);
    this.#graceTimer = setTimeout(() => {
      for (const call of this.running.values()) abortCall(call, cancelError("shutdown"));
    }, graceMs);
    this.#graceTimer.unref();
  }

  #onClose(clean: boolean, reason: string, violation: boolean): void {
    if (this.#rejected) return;
    if (clean && this.#shutdownAt !== undefined) return; // Goodbye sent: exit when the socket closes.
    // §14.2, §15: the connection is lost or broken: exit at once, without waiting for handlers.
    const what = violation ? `the host broke the protocol, so the plugin closed the connection: ${reason}` : `the connection to the host was lost (${reason})`;
    this.#options.exit(1, `${this.origin.plugin}: ${what}; exiting`);
  }

  #onClosed(): void {
    if (this.peer.state === "closed" && this.#shutdownAt !== undefined && this.running.size === 0) this.#options.exit(0);
    this.#options.exit(1, `${this.origin.plugin}: the connection to the host closed (${this.peer.closeReason ?? "no reason given"}); exiting`);
  }
}
