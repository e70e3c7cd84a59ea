// What the steps of a `host` case share while it runs, and the waits they make.

import { CaseFailure } from "../case-types.js";
import type { HostSession } from "./host-session.js";
import type { RelayLink } from "./relay-link.js";
import { abortAfter } from "../abort-after.js";
import type { RelayServer } from "./relay-server.js";

/** StepContext is the state of one run of a host case. */
export interface StepContext {
  session: HostSession;
  relays: RelayServer;
  /** The fake plugin the steps drive: the latest relay taken (nextInstance switches it). */
  link: RelayLink;
  /** The reports of every relay taken so far, oldest first (for `$previous` tokens). */
  reports: Record<string, unknown>[];
  /** Call ids recorded by expectFrame's `as`, for `{$idOf: name}` in frames sent. */
  ids: Map<string, number | string>;
  /** host.close() once a closeHost step started it. */
  hostClosing: Promise<void> | undefined;
  /** The case's signal: aborted at its timeout. */
  signal: AbortSignal;
  trace(line: string): void;
}

/**
 * within runs `wait` with a signal that also aborts after `ms` (undefined: only the case's
 * signal). When the limit passes first it throws a CaseFailure saying `expected` did not
 * happen within `ms`; when the case's own signal aborts it rethrows that.
 */
export async function within<T>(context: StepContext, ms: number | undefined, expected: string, wait: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const limit = ms === undefined ? undefined : abortAfter(context.signal, ms);
  const signal = limit?.signal ?? context.signal;
  try {
    return await wait(signal);
  } catch (error) {
    if (signal.aborted && !context.signal.aborted) throw new CaseFailure(`expected ${expected} within ${ms} ms; it did not happen`);
    throw error;
  } finally {
    limit?.dispose();
  }
}

/** resolveIds replaces every `{$idOf: name}` in a frame spec with the call id recorded under that name. */
export function resolveIds(spec: unknown, ids: ReadonlyMap<string, number | string>): unknown {
  if (Array.isArray(spec)) return spec.map((item) => resolveIds(item, ids));
  if (spec === null || typeof spec !== "object") return spec;
  const entries = Object.entries(spec);
  if (entries.length === 1 && entries[0]![0] === "$idOf") {
    const name = String(entries[0]![1]);
    const id = ids.get(name);
    if (id === undefined) throw new Error(`{$idOf: ${name}} names no frame: record one first with expectFrame's "as: ${name}"`);
    return id;
  }
  return Object.fromEntries(entries.map(([key, value]) => [key, resolveIds(value, ids)]));
}
