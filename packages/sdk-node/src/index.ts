// @polyproc/sdk: write polyproc plugins in Node.js and TypeScript. This file is the
// package's only entry point.
//
//   const plugin = definePlugin({ name: "math", version: "1.0.0" });
//   plugin.fn("add", ({ a, b }: { a: number; b: number }) => a + b);
//   await plugin.serve();

export { definePlugin, Plugin } from "./plugin.js";
export type { ArgsOf, FnOptions, Handler, PluginOptions, StreamHandler } from "./plugin.js";
export type { CallContext } from "./call-context.js";
export type { ServeOptions } from "./serve.js";
export type { TelemetryOption, TelemetryOptions } from "./telemetry-api.js";
export type { HostFunction, HostFunctions } from "./host-functions.js";
export type { OutgoingCallOptions, OutgoingStreamOptions } from "./outgoing-options.js";
export type { MessageInfo, PublishOptions, SubscriptionHandler } from "./subscriptions.js";
export type { LogFields, Logger, LogLevel } from "./logger.js";
export type { InferInput, InferOutput, JsonSchemaObject, SchemaOption, StandardIssue, StandardSchemaV1 } from "@polyproc/protocol";
export { SDK_VERSION } from "./version.js";

// The error type of the protocol: throw a PluginError from a handler to choose the code the
// caller sees (§8).
export { PluginError, isErrorCode } from "@polyproc/protocol";
export type { CallId, ErrorCode, ErrorInfo, PlainValue } from "@polyproc/protocol";
