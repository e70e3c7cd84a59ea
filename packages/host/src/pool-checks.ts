import { PluginError, type FunctionInfo } from "@polyproc/protocol";
import type { ResolvedPluginConfig } from "./plugin-options.js";
import { describeExit, exitDetails, withStderr } from "./pool-errors.js";
import type { PoolJob } from "./pool-job.js";
import type { PoolSupervisor } from "./pool-supervisor.js";

/** PoolView is what the messages below read from a pool. */
export interface PoolView {
  readonly config: ResolvedPluginConfig;
  readonly supervisor: PoolSupervisor;
}

const LISTED = 20;

/**
 * callableError checks that a plugin serves `fn`, and in the mode asked (§5.8 checks 6, 7):
 * NOT_FOUND listing its functions (§5.7); UNIMPLEMENTED for a streaming function called with
 * call(), or a plain one read with stream(). undefined when callable or when the functions
 * are not known yet.
 */
export function callableError(plugin: string, fn: string, functions: readonly FunctionInfo[] | undefined, streaming: boolean): PluginError | undefined {
  if (functions === undefined) return undefined;
  const info = functions.find((candidate) => candidate.name === fn);
  if (info === undefined) {
    const names = functions.map((candidate) => candidate.name).sort();
    const list = names.length === 0 ? "it serves none" : `it serves: ${names.slice(0, LISTED).join(", ")}${names.length > LISTED ? ", …" : ""}`;
    return new PluginError("NOT_FOUND", `plugin ${plugin} has no function "${fn}"; ${list}`);
  }
  if (info.streaming === true && !streaming) {
    return new PluginError(
      "UNIMPLEMENTED",
      `${plugin}.${fn} is a streaming function; it cannot be called with call(): read its items with host.stream("${plugin}", "${fn}", args)`,
    );
  }
  if (info.streaming !== true && streaming) {
    return new PluginError(
      "UNIMPLEMENTED",
      `${plugin}.${fn} is not a streaming function; it cannot be read with stream(): call it with host.call("${plugin}", "${fn}", args)`,
    );
  }
  return undefined;
}

/**
 * busyError is RESOURCE_EXHAUSTED for a call that found every instance it may use busy, and
 * the queue full (`full`) or no free instance within queue.timeoutMs (`timeout`).
 */
export function busyError(pool: PoolView, job: PoolJob, why: "full" | "timeout"): PluginError {
  const { name, instances, maxConcurrency, queue } = pool.config;
  const target = job.init.slot === undefined ? `all ${instances} instance(s) are` : `the instance of its affinity key (slot ${job.init.slot}) is`;
  const queued =
    queue.size === 0
      ? "the queue is off (queue.size 0)"
      : why === "full"
        ? `the queue is full (queue.size ${queue.size})`
        : `none freed up within queue.timeoutMs (${queue.timeoutMs} ms)`;
  return new PluginError(
    "RESOURCE_EXHAUSTED",
    `call ${name}.${job.init.fn}: ${target} busy (maxConcurrency ${maxConcurrency}, or less if the plugin asks) and ${queued}; retry later, or raise instances, maxConcurrency or queue`,
    { retryable: true, cause: job.firstError },
  );
}

/** notReadyError is UNAVAILABLE for a call that found no ready instance to wait for in time. */
export function notReadyError(pool: PoolView, job: PoolJob): PluginError {
  const { name, queue } = pool.config;
  const last = pool.supervisor.lastExit;
  const since = last === undefined ? "" : `; last exit: ${describeExit(last.instance, last.exit)}`;
  const waited = queue.size === 0 ? "the queue is off (queue.size 0)" : `none became ready within queue.timeoutMs (${queue.timeoutMs} ms)`;
  const retry = job.firstError === undefined ? "" : ` (retrying it after: ${(job.firstError as Error).message})`;
  return new PluginError("UNAVAILABLE", withStderr(`call ${name}.${job.init.fn}: no instance is ready and ${waited}${since}${retry}`, last?.exit), {
    retryable: true,
    details: exitDetails(last?.exit),
    cause: job.firstError,
  });
}
