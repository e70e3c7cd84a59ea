// Helpers for the tests of this package: a logger that records, and the commands of the
// fixture plugins in ../test-fixtures.
import { PluginError } from "@polyproc/protocol";
import { fileURLToPath } from "node:url";
import { ConnectionRouter } from "./connection-router.js";
import { ProcessInstance } from "./instance.js";
import type { InstanceOptions } from "./instance-options.js";
import type { ExitInfo, InstanceState, PluginInstance } from "./instance-types.js";
import type { LogFields, LogLevel, Logger } from "./logger.js";
import { type Listener, listen } from "./transport/index.js";

/** LogEntry is one record a RecordingLogger received, its child fields merged in. */
export interface LogEntry {
  level: LogLevel;
  msg: string;
  fields: LogFields;
}

/** RecordingLogger keeps every record, and lets a test wait for one. */
export interface RecordingLogger extends Logger {
  readonly entries: LogEntry[];
  /** waitFor resolves with the first record, past or future, that matches. */
  waitFor(match: (entry: LogEntry) => boolean): Promise<LogEntry>;
}

/** recordingLogger returns a Logger that records everything, debug included. */
export function recordingLogger(): RecordingLogger {
  const entries: LogEntry[] = [];
  const waiters: { match: (entry: LogEntry) => boolean; resolve: (entry: LogEntry) => void }[] = [];
  const record = (entry: LogEntry) => {
    entries.push(entry);
    for (const waiter of [...waiters]) {
      if (!waiter.match(entry)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(entry);
    }
  };
  const make = (bound: LogFields): Logger => ({
    debug: (msg, fields) => record({ level: "debug", msg, fields: { ...bound, ...fields } }),
    info: (msg, fields) => record({ level: "info", msg, fields: { ...bound, ...fields } }),
    warn: (msg, fields) => record({ level: "warn", msg, fields: { ...bound, ...fields } }),
    error: (msg, fields) => record({ level: "error", msg, fields: { ...bound, ...fields } }),
    child: (fields) => make({ ...bound, ...fields }),
  });
  return {
    ...make({}),
    entries,
    waitFor: (match) => {
      const found = entries.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}

/** fixtureCommand is the argv that runs a fixture plugin of ../test-fixtures from its TypeScript source. */
export function fixtureCommand(name: string): string[] {
  const file = fileURLToPath(new URL(`../test-fixtures/${name}`, import.meta.url));
  return [process.execPath, "--conditions=@polyproc/source", "--import", "tsx", file];
}

/** stateReached resolves when an instance reaches `state` (at once if it is there already). */
export function stateReached(instance: PluginInstance, state: InstanceState): Promise<void> {
  if (instance.state === state) return Promise.resolve();
  return new Promise((resolve) => {
    instance.on("state", (next) => {
      if (next === state) resolve();
    });
  });
}

/** exited resolves with an instance's ExitInfo when it has ended (at once if it has). */
export function exited(instance: ProcessInstance): Promise<ExitInfo> {
  const info = instance.exitInfo;
  if (info !== undefined) return Promise.resolve(info);
  return new Promise((resolve) => instance.on("exit", resolve));
}

/** TestHost is a listener, a router and the instances a test started on them. */
export interface TestHost {
  readonly logger: RecordingLogger;
  readonly listener: Listener;
  /** start spawns a fixture plugin of ../test-fixtures as an instance named `plugin-N`. */
  start(fixture: string, options?: Partial<InstanceOptions>): ProcessInstance;
  /** close kills the instances still running, waits for their ends and closes the listener. */
  close(): Promise<void>;
}

/** startTestHost listens as a host does, with a recording logger. */
export async function startTestHost(options: { handshakeTimeoutMs?: number } = {}): Promise<TestHost> {
  const logger = recordingLogger();
  const router = new ConnectionRouter({ logger, handshakeTimeoutMs: options.handshakeTimeoutMs });
  const listener = await listen(router.accept);
  const instances: ProcessInstance[] = [];
  return {
    logger,
    listener,
    start: (fixture, instanceOptions) => {
      const plugin = instanceOptions?.plugin ?? "fixture";
      const id = `${plugin}-${instances.length + 1}`;
      const instance = new ProcessInstance({ plugin, command: fixtureCommand(fixture), heartbeatIntervalMs: 0, ...instanceOptions }, {
        id,
        router,
        address: listener.address,
        logger,
      });
      instances.push(instance);
      return instance;
    },
    close: async () => {
      await Promise.all(
        instances.map((instance) => {
          const done = exited(instance);
          instance.kill("the test is over");
          return done;
        }),
      );
      router.closeAll();
      await listener.close();
    },
  };
}

/** failureOf resolves with the PluginError a call rejects with, failing the test otherwise. */
export async function failureOf(call: Promise<unknown>): Promise<PluginError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!PluginError.is(error)) throw new Error(`expected a PluginError, got ${String(error)}`);
  return error;
}
