// The relay's own framing, between the relay process (relay.ts) and the executor that drives
// it over the control socket: one connection carries both the plugin connection's raw bytes
// and the relay's control messages, in order, so that "send these bytes, then close" can
// never be reordered. A message is a 1-byte tag, a 4-byte big-endian length and the payload.

/**
 * RelayTag names a relay message.
 * Relay → executor: `R` report (JSON: what the relay found in its environment), `O` connected
 * to the host, `D` bytes read from the host, `E` the host's connection ended (JSON {error?}).
 * Executor → relay: `D` bytes to write to the host, `E` end the connection to the host (JSON
 * {exitCode}: the status to exit with once it is closed, null to stay alive), `C` set the
 * status to exit with when the connection ends, whoever ends it (JSON {exitCode}), `X` exit
 * now (JSON {code}).
 */
export type RelayTag = "R" | "O" | "D" | "E" | "C" | "X";

/** RelayMessage is one decoded message. */
export interface RelayMessage {
  tag: RelayTag;
  payload: Uint8Array;
}

const TAGS = new Set<string>(["R", "O", "D", "E", "C", "X"]);
const HEADER = 5;

/** relayMessage encodes one message. */
export function relayMessage(tag: RelayTag, payload: Uint8Array | string = new Uint8Array(0)): Uint8Array {
  const body = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
  const bytes = new Uint8Array(HEADER + body.length);
  bytes[0] = tag.charCodeAt(0);
  new DataView(bytes.buffer).setUint32(1, body.length);
  bytes.set(body, HEADER);
  return bytes;
}

/** relayJson decodes a message's JSON payload. */
export function relayJson(message: RelayMessage): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(message.payload)) as Record<string, unknown>;
}

/** RelayMessageReader decodes relay messages from chunks of any size. */
export class RelayMessageReader {
  private buffer = new Uint8Array(0);

  /** push takes a chunk and returns the messages it completed; it throws on an unknown tag. */
  push(chunk: Uint8Array): RelayMessage[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer, 0);
    joined.set(chunk, this.buffer.length);
    const messages: RelayMessage[] = [];
    let offset = 0;
    while (joined.length - offset >= HEADER) {
      const tag = String.fromCharCode(joined[offset]!);
      if (!TAGS.has(tag)) throw new Error(`the relay's control connection carried an unknown message tag ${JSON.stringify(tag)}`);
      const length = new DataView(joined.buffer, joined.byteOffset + offset + 1, 4).getUint32(0);
      if (joined.length - offset - HEADER < length) break;
      messages.push({ tag: tag as RelayTag, payload: joined.slice(offset + HEADER, offset + HEADER + length) });
      offset += HEADER + length;
    }
    this.buffer = joined.slice(offset);
    return messages;
  }
}
