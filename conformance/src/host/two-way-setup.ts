// The setup keys of a `host` case for the calls the fake plugin makes (PROTOCOL.md §5.4):
// host functions the host serves, and peer plugins (the node SDK's conformance plugin) it may
// route calls to. The fake plugin's permissions are `setup.host.permissions`.

import { join } from "node:path";
import type { HostFunction, PluginConfig } from "@polyproc/host";
import { isRecord } from "../load-cases.js";
import { hostFunctionsOf } from "../sdk/setup-two-way.js";
import { loadSdks } from "../sdk-registry.js";

const peerKeys = ["name", "maxConcurrency", "queue"];

/** PEER_SDK is the SDK whose conformance plugin runs the peers of host cases. */
const PEER_SDK = "node";

/**
 * hostCaseFunctions turns setup.hostFunctions into PluginHostOptions.hostFunctions: `value`,
 * `error` and `echo: true` as in sdk cases, and `hold: true` for a function that answers
 * nothing until its call is cancelled or passes its deadline, then fails with the reason its
 * context's signal gives (CANCELLED or DEADLINE_EXCEEDED).
 */
export function hostCaseFunctions(setup: Record<string, Record<string, unknown>>): Record<string, HostFunction> {
  const answering: Record<string, Record<string, unknown>> = {};
  const functions: Record<string, HostFunction> = {};
  for (const [name, spec] of Object.entries(setup)) {
    if (spec.hold === true) {
      functions[name] = { handler: (_args, ctx) => new Promise((_resolve, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason as Error))) };
    } else {
      answering[name] = spec;
    }
  }
  return { ...hostFunctionsOf(answering), ...functions };
}

/** PeerSetup is one entry of setup.peers: the plugin's name, and optionally its pool settings. */
export interface PeerSetup {
  name: string;
  maxConcurrency?: number;
  queue?: { size?: number; timeoutMs?: number };
}

/**
 * peerPlugins makes the configs of setup.peers: the node SDK's conformance plugin
 * (conformance/sdks.yaml) under each name, with the entry's maxConcurrency and queue.
 */
export function peerPlugins(peers: PeerSetup[], root: string): PluginConfig[] {
  if (peers.length === 0) return [];
  const sdk = loadSdks(join(root, "conformance", "sdks.yaml"), root).find((entry) => entry.name === PEER_SDK);
  if (sdk === undefined) throw new Error(`setup.peers needs the "${PEER_SDK}" entry of conformance/sdks.yaml, whose conformance plugin the peers run`);
  return peers.map((peer) => ({ ...peer, command: sdk.command, cwd: sdk.cwd, env: { ...sdk.env } }));
}

/** checkTwoWaySetup returns the problems of setup.hostFunctions and setup.peers. */
export function checkTwoWaySetup(setup: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (setup.hostFunctions !== undefined) {
    if (!isRecord(setup.hostFunctions)) problems.push("setup.hostFunctions must map function names to {value}, {error}, {echo: true} or {hold: true}");
    else {
      for (const [name, spec] of Object.entries(setup.hostFunctions)) {
        const keys = isRecord(spec) ? Object.keys(spec) : [];
        if (keys.length !== 1 || !["value", "error", "echo", "hold"].includes(keys[0]!)) {
          problems.push(`setup.hostFunctions.${name}: give exactly one of value, error, echo: true or hold: true`);
        }
      }
    }
  }
  if (setup.peers !== undefined) {
    const valid =
      Array.isArray(setup.peers) &&
      setup.peers.every((peer) => isRecord(peer) && typeof peer.name === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(peer.name) && Object.keys(peer).every((key) => peerKeys.includes(key)));
    if (!valid) problems.push(`setup.peers must be a list of {name, maxConcurrency?, queue?} (plugin names [A-Za-z0-9_-]{1,64})`);
  }
  return problems;
}
