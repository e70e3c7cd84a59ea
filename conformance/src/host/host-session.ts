// The host under test in a `host` case: a real PluginHost in the executor's process whose one
// plugin is the relay (relay.ts), with what the case observes of it: its log records, its
// events and the calls the case made.

import { fileURLToPath } from "node:url";
import { type HostEventName, type HostFunction, type LogFields, type Logger, type LogLevel, type PlainValue, PluginHost, type PluginConfig } from "@polyproc/host";
import { show } from "../match.js";
import { Inbox } from "./inbox.js";

/** The plugin's name in the host's configuration. */
export const PLUGIN_NAME = "fake";

/** LogRecord is one record the host logged. */
export interface LogRecord {
  level: LogLevel;
  message: string;
  fields: LogFields;
}

/** HostEventRecord is one host event (PluginHost.on), with its payload. */
export interface HostEventRecord {
  event: HostEventName;
  payload: Record<string, unknown>;
}

/** CallOutcome is how a call the case made settled. */
export type CallOutcome = { value: PlainValue } | { error: unknown };

/** CallRecord is a call the case made with hostCall. */
export interface CallRecord {
  fn: string;
  outcome: Promise<CallOutcome>;
  startedAt: number;
  settledAt: number | undefined;
}

const relayPath = fileURLToPath(new URL("./relay.ts", import.meta.url));
const hostEvents: HostEventName[] = ["instance", "exit", "restart", "failed"];

/**
 * HostSession starts the host (PluginHost.start runs in the background: the case plays the
 * plugin's handshake) and records its logs and events.
 */
export class HostSession {
  readonly logs = new Inbox<LogRecord>();
  /** Every log record, for checks over the whole case (a token must never be logged). */
  readonly allLogs: LogRecord[] = [];
  readonly events = new Inbox<HostEventRecord>();
  readonly calls = new Map<string, CallRecord>();
  /** started settles with the host once PluginHost.start resolves, or with its error. */
  readonly started: Promise<PluginHost>;
  private closing: Promise<void> | undefined;

  constructor(
    options: { root: string; controlPath: string; plugin: Record<string, unknown>; hostFunctions?: Record<string, HostFunction>; peers?: PluginConfig[] },
    private readonly trace: (line: string) => void,
  ) {
    const plugin = {
      name: PLUGIN_NAME,
      command: [process.execPath, "--conditions=@polyproc/source", "--import", "tsx", relayPath],
      cwd: options.root,
      ...options.plugin,
      env: { ...(options.plugin.env as Record<string, string> | undefined), CONFORMANCE_RELAY: options.controlPath },
    } as PluginConfig;
    this.started = PluginHost.start({
      logger: this.logger({}),
      plugins: [plugin, ...(options.peers ?? [])],
      restart: { baseMs: 30_000, maxMs: 30_000 },
      hostFunctions: options.hostFunctions,
    });
    this.started.then(
      (host) => {
        trace("host: PluginHost.start resolved");
        for (const event of hostEvents) {
          host.on(event, (payload: object) => {
            trace(`host event ${event}: ${show(payload)}`);
            this.events.push({ event, payload: payload as Record<string, unknown> });
          });
        }
      },
      (error: unknown) => trace(`host: PluginHost.start rejected: ${(error as Error).message}`),
    );
  }

  /** call starts host.call once the host has started, and records it under `name`. */
  call(name: string, fn: string, args: PlainValue, options: Record<string, unknown>): void {
    const record: CallRecord = { fn, startedAt: performance.now(), settledAt: undefined, outcome: Promise.resolve({ value: null }) };
    const { stream, ...callOptions } = options;
    record.outcome = this.started
      .then((host) => (stream === true ? readAll(host.stream(PLUGIN_NAME, fn, args, callOptions)) : host.call(PLUGIN_NAME, fn, args, callOptions)))
      .then(
        (value): CallOutcome => ({ value }),
        (error: unknown): CallOutcome => ({ error }),
      )
      .then((outcome) => {
        record.settledAt = performance.now();
        this.trace(`call ${name} settled after ${Math.round(record.settledAt - record.startedAt)} ms: ${show("value" in outcome ? outcome.value : errorShape(outcome.error))}`);
        return outcome;
      });
    this.calls.set(name, record);
  }

  /** close closes the host (once), whether or not it started. */
  close(graceMs: number | undefined): Promise<void> {
    this.closing ??= this.started.then(
      (host) => host.close(graceMs === undefined ? {} : { graceMs }),
      () => undefined,
    );
    return this.closing;
  }

  private logger(bound: LogFields): Logger {
    const log = (level: LogLevel) => (message: string, fields?: LogFields) => {
      const record: LogRecord = { level, message, fields: { ...bound, ...fields } };
      this.trace(`log ${level}: ${message} ${show(record.fields)}`);
      this.allLogs.push(record);
      this.logs.push(record);
    };
    return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error"), child: (fields) => this.logger({ ...bound, ...fields }) };
  }
}

/** errorShape turns a rejection into the plain object cases match: code, message, details, retryable, remote, origins. */
export function errorShape(error: unknown): Record<string, unknown> {
  if (error === null || typeof error !== "object") return { message: String(error) };
  const e = error as Record<string, unknown>;
  return {
    name: e.name,
    code: e.code,
    message: e.message,
    details: e.details,
    retryable: e.retryable,
    remote: e.remote,
    originPlugin: e.originPlugin,
    originInstance: e.originInstance,
  };
}

/** readAll reads a stream to its end: the list of its items, or its error. */
async function readAll(items: AsyncIterable<PlainValue>): Promise<PlainValue[]> {
  const all: PlainValue[] = [];
  for await (const item of items) all.push(item);
  return all;
}
