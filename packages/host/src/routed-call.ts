import { type FunctionInfo, PluginError } from "@polyproc/protocol";
import type { InboundCall } from "./inbound-call.js";
import type { Caller } from "./inbound-calls.js";
import type { StreamSink } from "./instance-types.js";
import type { Grants } from "./permissions.js";
import { failedError } from "./pool-errors.js";
import type { PluginPool } from "./pool.js";
import { forwardedMetadata, nextHop } from "./routing-metadata.js";
import { type CallTarget, TracedTarget } from "./traced-target.js";

const LISTED = 20;

/**
 * routeCall routes a plugin's call to another plugin (PROTOCOL.md §5.4). It makes checks 1
 * to 6 in order, answering the first failure: PERMISSION_DENIED (the caller's `call`
 * permissions), NOT_FOUND, FAILED_PRECONDITION (target failed), INVALID_ARGUMENT (bad
 * `polyproc-hops`), FAILED_PRECONDITION (chain too deep), UNIMPLEMENTED (mode). Then it
 * forwards the call through the target's pool (dispatch, queue, retries; check 7 is the
 * pool's RESOURCE_EXHAUSTED) with the time left and the host's metadata, and relays the
 * answer, the caller's Cancel and, for a stream, its items and credit one for one.
 */
export function routeCall(caller: Caller, call: InboundCall, grants: Grants, pools: ReadonlyMap<string, PluginPool>): void {
  const { target, function: fn, streaming, metadata, deadline, args } = call.event;
  const subject = `${target}.${fn}`;
  if (!grants.allows("call", subject)) return call.failWith(grants.denied("call", subject));
  const pool = pools.get(target);
  const info = pool?.functions?.find((candidate) => candidate.name === fn);
  if (pool === undefined || info === undefined) return call.failWith(notFound(target, fn, pools, pool?.functions));
  if (pool.state === "failed") return call.failWith(failedError(target, pool.supervisor.failure ?? "crash loop", pool.supervisor.lastExit?.exit));
  const hop = nextHop(metadata, caller.plugin, target);
  if (hop instanceof PluginError) return call.failWith(hop);
  if ((info.streaming === true) !== streaming) return call.failWith(modeError(subject, info));
  const options = {
    timeoutMs: deadline === undefined ? undefined : Math.max(0, deadline - performance.now()),
    signal: call.signal,
    metadata: forwardedMetadata(metadata, caller.plugin, hop),
  };
  // With telemetry, the hop has a span, whose traceparent the forwarded call carries.
  const via: CallTarget = pool.telemetry === undefined ? pool : new TracedTarget(pool.telemetry, pool, caller);
  if (!streaming) {
    via.call(fn, args, options).then(
      (value) => call.succeed(value),
      (error: unknown) => call.failWith(error),
    );
    return;
  }
  const sink: StreamSink = {
    opened: (grant) => (call.onCredit = grant),
    item: (value) => void call.push(value),
  };
  via.stream(fn, args, sink, { ...options, window: call.initialCredit }).then(
    () => call.succeed(),
    (error: unknown) => call.failWith(error),
  );
}

function notFound(target: string, fn: string, pools: ReadonlyMap<string, PluginPool>, functions: readonly FunctionInfo[] | undefined): PluginError {
  if (!pools.has(target)) {
    const names = [...pools.keys()].sort().join(", ");
    return new PluginError("NOT_FOUND", `no plugin named "${target}" to route the call to; the host runs: ${names === "" ? "none" : names}`);
  }
  const names = (functions ?? []).map((candidate) => candidate.name).sort();
  const list = names.length === 0 ? "it serves none" : `it serves: ${names.slice(0, LISTED).join(", ")}${names.length > LISTED ? ", …" : ""}`;
  return new PluginError("NOT_FOUND", `plugin ${target} has no function "${fn}"; ${list}`);
}

function modeError(subject: string, info: FunctionInfo): PluginError {
  const how = info.streaming === true ? "a streaming function: call it as a stream" : "not a streaming function: call it without streaming";
  return new PluginError("UNIMPLEMENTED", `${subject} is ${how} (§5.4 check 6)`);
}
