// Reading the environment the host starts a plugin with (PROTOCOL.md §2.4).

/** The variables of §2.4. */
export const ENV_ADDRESS = "POLYPROC_ADDRESS";
export const ENV_TOKEN = "POLYPROC_TOKEN";
export const ENV_PROTOCOL = "POLYPROC_PROTOCOL";

/** PluginEnvironment is what the host passed: where to connect, the token, its versions. */
export interface PluginEnvironment {
  /** `unix:/path` or `pipe:\\.\pipe\name`. */
  address: string;
  token: string;
  /** The host's protocol range, for explaining a Reject (§2.4.4). */
  hostProtocol: { min: number; max: number };
}

/**
 * EnvironmentError is a malformed POLYPROC_* variable (§2.4.3): its message names the
 * variable and says what was expected.
 */
export class EnvironmentError extends Error {
  override name = "EnvironmentError";
}

/**
 * readEnvironment reads POLYPROC_ADDRESS, POLYPROC_TOKEN and POLYPROC_PROTOCOL and removes
 * every POLYPROC_* variable from `env` (§2.4.1), so that processes the plugin starts do not
 * inherit the token. It returns undefined when POLYPROC_ADDRESS is not set (the plugin was run
 * by hand, §2.4.2) and throws EnvironmentError for a malformed variable (§2.4.3).
 */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): PluginEnvironment | undefined {
  const address = env[ENV_ADDRESS];
  const token = env[ENV_TOKEN];
  const protocol = env[ENV_PROTOCOL];
  for (const name of Object.keys(env)) if (name.startsWith("POLYPROC_")) delete env[name];
  if (address === undefined || address === "") return undefined;
  checkAddress(address);
  if (token === undefined || !/^[0-9a-f]{64}$/.test(token)) {
    throw new EnvironmentError(
      `${ENV_TOKEN} is ${token === undefined ? "not set" : "malformed"}: it must be exactly 64 lowercase hex digits; the host sets it, start the plugin through a polyproc host`,
    );
  }
  return { address, token, hostProtocol: parseProtocol(protocol) };
}

function checkAddress(address: string): void {
  if (address.startsWith("unix:")) {
    if (!address.slice(5).startsWith("/")) throw new EnvironmentError(`${ENV_ADDRESS} "${address}" is malformed: a unix: address needs an absolute path (unix:/tmp/dir/host.sock)`);
    return;
  }
  if (address.startsWith("pipe:")) {
    if (!/^pipe:\\\\\.\\pipe\\.+$/.test(address)) throw new EnvironmentError(`${ENV_ADDRESS} "${address}" is malformed: a pipe: address is pipe:\\\\.\\pipe\\<name>`);
    return;
  }
  if (address.startsWith("tcp://")) {
    throw new EnvironmentError(`${ENV_ADDRESS} "${address}": tcp:// addresses (plugins on other machines) are not supported by this SDK version; run the plugin on the host's machine`);
  }
  throw new EnvironmentError(`${ENV_ADDRESS} "${address}" has an unknown scheme: expected unix:/path or pipe:\\\\.\\pipe\\<name>`);
}

function parseProtocol(value: string | undefined): { min: number; max: number } {
  if (value === undefined) return { min: 1, max: 1 };
  const match = /^([1-9][0-9]{0,8})(?:-([1-9][0-9]{0,8}))?$/.exec(value);
  const min = match ? Number(match[1]) : NaN;
  const max = match?.[2] !== undefined ? Number(match[2]) : min;
  if (!(min <= max)) {
    throw new EnvironmentError(`${ENV_PROTOCOL} "${value}" is malformed: expected a version N or a range N-M with 1 <= N <= M (e.g. 1 or 1-2)`);
  }
  return { min, max };
}
