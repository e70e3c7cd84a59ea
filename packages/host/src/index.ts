// @polyproc/host: launch plugin processes, supervise them and call their functions.
// This file is the package's only entry point.

export { PluginHost } from "./plugin-host.js";
export type { FunctionDescription, StopOptions } from "./plugin-host.js";
export type { CallOptions, StreamOptions } from "./call-options.js";
export { pluginDefaults } from "./plugin-options.js";
export type { PermissionKind, PluginPermissions } from "./permissions.js";
export type { HostFunction, HostFunctionContext, HostFunctionHandler, HostFunctionOptions } from "./host-function-types.js";
export type {
  HeartbeatOptions,
  InstanceFactory,
  InstanceInit,
  PluginConfig,
  PluginDefaults,
  PluginHostOptions,
  QueueOptions,
  ResolvedPluginConfig,
  RestartOptions,
} from "./plugin-options.js";
export type {
  ExitEvent,
  FailedEvent,
  HostEventName,
  HostEvents,
  InstanceEvent,
  LoadEvent,
  ReloadEvent,
  RestartEvent,
  UnloadEvent,
} from "./host-events.js";
export type { CallStats, HostStats, InstanceStats, PluginState, PluginStats } from "./stats.js";
export type { MessageHandler, MessageInfo, PublishOptions, SubscribeOptions, Subscription } from "./pubsub-broker.js";
export type { BufferPolicy, PubsubOptions } from "./pubsub-options.js";
export type { PubsubCounts, PubsubStats, PubsubSubscriberStats } from "./pubsub-stats.js";
export type { LatencyPercentiles } from "./latency-histogram.js";
export type {
  ExitInfo,
  InstanceCallOptions,
  InstanceEvents,
  InstanceState,
  InstanceStreamOptions,
  PluginInstance,
  StreamSink,
} from "./instance-types.js";
export type { HostWireTap } from "./connection-router.js";
export { createConsoleLogger, quietLogger } from "./logger.js";
export type { ConsoleLoggerOptions, LogFields, Logger, LogLevel } from "./logger.js";
export { PluginError } from "@polyproc/protocol";
export type { ErrorCode, ErrorInfo, FunctionInfo, PlainValue } from "@polyproc/protocol";
