// The parts of an sdk case's setup for calls the plugin makes (PROTOCOL.md §5.4): the host
// functions it may call and the peer plugins it may call through the host.

import { type HostFunction, type PlainValue, type PluginConfig, PluginError } from "@polyproc/host";
import type { SdkEntry } from "../case-types.js";
import { plainFromSpec } from "./value-spec.js";

/** A host function's answer in setup.hostFunctions: exactly one of these. */
interface HostFunctionSpec {
  value?: unknown;
  error?: { code: string; message?: string; details?: unknown; retryable?: boolean };
  echo?: boolean;
}

/**
 * hostFunctionsOf turns setup.hostFunctions into PluginHostOptions.hostFunctions: each
 * answers its `value`, fails with its `error` (a PluginError with the code, message, details
 * and retryable given), or answers its arguments (`echo: true`).
 */
export function hostFunctionsOf(setup: Record<string, HostFunctionSpec>): Record<string, HostFunction> {
  const functions: Record<string, HostFunction> = {};
  for (const [name, spec] of Object.entries(setup)) {
    if (spec.echo === true) functions[name] = { handler: (args: PlainValue) => args };
    else if (spec.error !== undefined) functions[name] = { handler: () => Promise.reject(errorOf(spec.error!)) };
    else functions[name] = { handler: () => plainFromSpec(spec.value) as PlainValue };
  }
  return functions;
}

/** peerConfigs makes the configs of setup.peers: more plugins running the SDK's conformance plugin, under their names. */
export function peerConfigs(peers: { name: string; env?: Record<string, string> }[], sdk: SdkEntry): PluginConfig[] {
  return peers.map((peer) => ({ name: peer.name, command: sdk.command, cwd: sdk.cwd, env: { ...sdk.env, ...peer.env } }));
}

function errorOf(spec: NonNullable<HostFunctionSpec["error"]>): PluginError {
  const details = spec.details === undefined ? undefined : (plainFromSpec(spec.details) as PlainValue);
  return new PluginError(spec.code as PluginError["code"], spec.message ?? "", { details, retryable: spec.retryable });
}
