import { PluginError } from "@polyproc/protocol";

/** HOP_LIMIT is the most hops a routed call chain may take (PROTOCOL.md §1.4, §5.4). */
export const HOP_LIMIT = 8;

const METADATA_KEY = /^[a-z0-9][a-z0-9._-]*$/;
const RESERVED = "polyproc-";
const DECIMAL = /^(0|[1-9][0-9]*)$/;
const MAX_HOPS = 2 ** 31 - 1;

/** RouteHop is where a routed call is in its chain: the hop count and the plugins it passed (§5.4.7). */
export interface RouteHop {
  /** The hop count after this hop: the incoming `polyproc-hops` (absent: 0) plus one. */
  hops: number;
  /** The incoming `polyproc-chain` followed by the calling plugin. */
  chain: string[];
}

/**
 * nextHop reads the hop count and chain of a call `caller` makes to `target` (§5.4 checks 4
 * and 5): INVALID_ARGUMENT when `polyproc-hops` is not a decimal integer in 0..2³¹−1,
 * FAILED_PRECONDITION naming the chain when this hop would pass the limit of 8.
 */
export function nextHop(metadata: Readonly<Record<string, string>>, caller: string, target: string): RouteHop | PluginError {
  const incoming = metadata["polyproc-hops"];
  let hops = 0;
  if (incoming !== undefined) {
    hops = DECIMAL.test(incoming) ? Number(incoming) : NaN;
    if (!(hops <= MAX_HOPS)) {
      return new PluginError("INVALID_ARGUMENT", `the call's polyproc-hops metadata must be a decimal integer from 0 to ${MAX_HOPS}, got ${JSON.stringify(incoming)}; SDKs copy it unchanged from the handler's call (§5.4.7)`);
    }
  }
  const previous = metadata["polyproc-chain"];
  const chain = [...(previous === undefined || previous === "" ? [] : previous.split(",")), caller];
  if (hops + 1 > HOP_LIMIT) {
    return new PluginError("FAILED_PRECONDITION", `call chain too deep: ${[...chain, target].join(" → ")} (limit ${HOP_LIMIT} hops)`);
  }
  return { hops: hops + 1, chain };
}

/**
 * forwardedMetadata is the metadata of a call the host forwards (§5.5): the caller's keys
 * that are well-formed (lowercase `[a-z0-9][a-z0-9._-]*`), `traceparent` and `tracestate`
 * unchanged, every reserved `polyproc-*` key replaced by the host's `polyproc-caller`,
 * `polyproc-hops` and `polyproc-chain` (§5.4.7, §5.5.4).
 */
export function forwardedMetadata(metadata: Readonly<Record<string, string>>, caller: string, hop: RouteHop): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (METADATA_KEY.test(key) && !key.startsWith(RESERVED)) out[key] = value;
  }
  out["polyproc-caller"] = caller;
  out["polyproc-hops"] = String(hop.hops);
  out["polyproc-chain"] = hop.chain.join(",");
  return out;
}
