// Frames as trace lines: decodes the raw bytes a tap sees (PluginHostOptions.wireTap) so that
// --verbose shows the frames of a failing case between the real host and a real plugin.

import { show } from "../match.js";
import { FrameReader, hexOf } from "./frame-bytes.js";
import { readableFrame } from "./frame-spec.js";

/** WireTapFn has the shape of @polyproc/host's HostWireTap. */
export type WireTapFn = (connection: number, direction: "in" | "out", bytes: Uint8Array) => void;

/**
 * frameTracer returns a wire tap that writes one trace line per frame: `→ #1 welcome {...}`
 * for what the host sends on connection 1, `← #1 result {...}` for what it reads. Bytes
 * that do not decode are traced once, in hex, with the decoding error.
 */
export function frameTracer(trace: (line: string) => void): WireTapFn {
  const readers = new Map<string, FrameReader>();
  return (connection, direction, bytes) => {
    const key = `${connection}${direction}`;
    let reader = readers.get(key);
    if (reader === undefined) readers.set(key, (reader = new FrameReader()));
    const arrow = direction === "out" ? "→" : "←";
    const failedBefore = reader.error !== undefined;
    for (const frame of reader.push(new Uint8Array(bytes))) {
      const readable = readableFrame(frame);
      const kind = Object.keys(readable)[0] ?? "empty";
      trace(`${arrow} #${connection} ${kind} ${show(readable[kind])}`);
    }
    if (!failedBefore && reader.error !== undefined) trace(`${arrow} #${connection} undecodable bytes (${reader.error.message}): ${hexOf(bytes)}`);
  };
}
